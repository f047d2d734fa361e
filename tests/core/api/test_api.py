from datetime import timedelta

from openapi_spec_validator import validate
from participatie.extensions import utcnow


def test_openapi_document_is_valid_openapi_3_1(api):
    validate(api.document)
    assert api.document["openapi"] == "3.1.0"


def test_areas_are_listed_by_code_fifty_a_page(api, areas):
    first = api("/areas")
    assert len(first["items"]) == 50
    codes = [item["code"] for item in first["items"]]
    assert codes == sorted(codes)
    assert first["next"] == "http://localhost/api/v1/areas?page=2"
    second = api("/areas?page=2")
    assert len(second["items"]) == 31
    assert second["next"] is None
    assert second["items"][0]["code"] > codes[-1]


def test_area_fields(api, areas):
    data = api("/areas/WK015306")
    assert data["name"] == "Wijk 06 Enschede-Zuid"
    assert (data["level"], data["parent_code"], data["population"]) == ("wijk", "GM0153", 33685)
    assert data["url"] == "http://localhost/gebieden/WK015306"
    assert "BU01530600" in data["children"]
    population = next(f for f in data["figures"] if f["key"] == "population")
    assert population == {
        "key": "population",
        "value": 33685,
        "unit": "inwoners",
        "year": 2024,
        "source": "CBS 85984NED",
    }
    assert api("/areas/BU01530600")["population"] is None


def test_urls_are_built_from_the_host_of_the_request(client, areas):
    data = client.get("/api/v1/areas/GM0153", base_url="https://participatie.example.nl").get_json()
    assert data["url"] == "https://participatie.example.nl/gebieden/GM0153"


def test_unknown_objects_are_404_with_error_not_found(api, areas):
    assert api("/areas/XX", 404) == {"error": "not_found"}
    assert api("/processes/bestaat-niet", 404) == {"error": "not_found"}


def test_bad_page_is_400_with_detail(api, areas):
    for page in ("0", "-1", "een"):
        data = api(f"/areas?page={page}", 400)
        assert data["error"] == "bad_request"
        assert data["detail"]


def test_processes_leave_out_drafts_newest_first(api, create_process):
    now = utcnow()
    create_process(slug="oud", status="published", published_at=now - timedelta(days=3))
    create_process(slug="nieuw", status="closed", published_at=now - timedelta(days=1))
    create_process(slug="ook-nieuw", status="published", published_at=now - timedelta(days=1))
    create_process(slug="concept", status="draft")
    data = api("/processes")
    assert [item["slug"] for item in data["items"]] == ["nieuw", "ook-nieuw", "oud"]
    assert data["next"] is None
    item = data["items"][2]
    assert item["current_phase"] == "Ideeën"
    assert (item["area_code"], item["level"], item["status"]) == (
        "WK015306",
        "consult",
        "published",
    )
    assert item["url"] == "http://localhost/processen/oud"
    assert api("/processes/concept", 404) == {"error": "not_found"}


def test_process_detail_carries_framing_and_phases(api, create_process):
    create_process(status="published")
    data = api("/processes/straat")
    framing = data["framing"]
    assert framing["reasons"] == [{"kind": "knowledge", "text": "U kent de straat het best."}]
    assert framing["fixed_limits"][0]["title"] == "Budget € 100.000"
    assert isinstance(framing["fixed_limits"][0]["id"], int)
    assert framing["open_questions"] == ["Waar komen de bomen?", "Waar komt de speelplek?"]
    assert (framing["integrality"], framing["participation_ends"]) == ("execution", "plan")
    assert framing["answer_within_days"] == 30
    first = data["phases"][0]
    assert first["actions"] == ["submit", "comment", "vote"]
    assert first["starts"].endswith(("+01:00", "+02:00"))
    assert data["phases"][1]["actions"] == []


def test_processes_page_through(api, create_process):
    now = utcnow()
    for number in range(51):
        create_process(
            slug=f"traject-{number:02d}",
            status="published",
            published_at=now - timedelta(hours=number),
        )
    first = api("/processes")
    assert len(first["items"]) == 50
    assert first["next"].endswith("/api/v1/processes?page=2")
    assert [i["slug"] for i in api("/processes?page=2")["items"]] == ["traject-50"]


def test_api_is_open_to_other_sites(client, areas):
    assert client.get("/api/v1/areas").headers["Access-Control-Allow-Origin"] == "*"
