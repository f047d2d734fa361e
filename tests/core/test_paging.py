from participatie.core.paging import page_arg


def test_a_page_number_is_a_whole_number_from_one_or_else_the_first_page(rules_app):
    cases = {"": 1, "3": 3, "0": 1, "-2": 1, "x": 1, "²": 1, " 2": 1, "51": 1, "50": 50}
    for text, expected in cases.items():
        with rules_app.test_request_context(query_string={"pagina": text}):
            assert page_arg(most=50) == expected, text
    with rules_app.test_request_context():
        assert page_arg(default=2) == 2
