"""Photos with ideas: JPEG or PNG, checked by content, re-encoded without metadata.

Re-encoding with Pillow drops EXIF (with GPS positions), ICC and text chunks,
and anything hidden after the image data. Files are stored outside
``static/`` under a random name and served by ``ideas.photo``.
"""

import io
import secrets
from pathlib import Path

from flask import current_app
from PIL import Image
from PIL import UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 50_000_000
#: PNG cannot be decoded at a smaller scale, so it gets a lower limit.
MAX_PNG_PIXELS = 12_000_000
#: Stored photos are at most this many pixels on their longer side.
MAX_SIDE = 2560
FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png")}


class PhotoRefused(ValueError):
    """The upload is not a JPEG or PNG photo we accept; the message says why."""


def folder() -> Path:
    path = Path(
        current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads"
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(data: bytes) -> tuple[str, str]:
    """Check and re-encode ``data``; return (file name, content type)."""
    from flask_babel import gettext as _

    if len(data) > MAX_BYTES:
        raise PhotoRefused(_("The photo is larger than 5 MB. Choose a smaller photo."))
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            if kind not in FORMATS:
                raise PhotoRefused(_("Only JPEG or PNG photos are possible."))
            # Checked from the header, before anything is decoded.
            most = MAX_PIXELS if kind == "JPEG" else MAX_PNG_PIXELS
            if image.width * image.height > most:
                raise PhotoRefused(_("The photo has too many pixels. Choose a smaller photo."))
            if kind == "JPEG":
                # Decode a large JPEG at 1/2, 1/4 or 1/8 of its size straight away: a
                # 40-megapixel photo then takes tens of MB instead of hundreds.
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))
            image.load()
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            clean = _strip(image, kind)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise PhotoRefused(_("This file is not a JPEG or PNG photo.")) from error
    extension, content_type = FORMATS[kind]
    name = f"{secrets.token_urlsafe(18)}.{extension}"
    (folder() / name).write_bytes(clean)
    return name, content_type


def _strip(image: Image.Image, kind: str) -> bytes:
    output = io.BytesIO()
    if kind == "JPEG":
        converted = image.convert("RGB")
        converted.save(output, "JPEG", quality=88, optimize=True)
    else:
        mode = "RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB"
        image.convert(mode).save(output, "PNG", optimize=True)
    return output.getvalue()


def path_of(name: str) -> Path | None:
    """The stored file for ``name``; None for a name that is not ours."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = folder() / name
    return path if path.is_file() else None


def remove(name: str | None) -> None:
    path = path_of(name or "")
    if path is not None:
        path.unlink(missing_ok=True)
