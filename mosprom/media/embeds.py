"""Video URLs from the platforms we recognise, and the player URLs built from them.

Nothing a person types is ever rendered as HTML or used as a player address. ``parse_video_url``
accepts only a page or player URL of a known platform, pulls out the video's id (checked
against the platform's id format) and returns a ``Video``; the embed and watch URLs are then
*built* from the platform and that id. Anything else — another host, a look-alike domain,
``javascript:``, an ``<iframe>`` snippet, credentials or a port in the URL — is refused with a
Russian message.

Recognised forms (``www.`` and ``m.`` prefixes allowed, http or https):

    YouTube   youtube.com/watch?v=ID, youtu.be/ID, youtube.com/embed|shorts|live/ID,
              youtube-nocookie.com/embed/ID                           (ID: 11 of [A-Za-z0-9_-])
    RUTUBE    rutube.ru/video/ID/, rutube.ru/play/embed/ID, rutube.ru/shorts/ID   (ID: 32 hex)
    VK Видео  vkvideo.ru|vk.com|vk.ru/video-OID_ID, …/video_ext.php?oid=OID&id=ID[&hash=H],
              vk.com/…?z=video-OID_ID                        (OID, ID: integers; H: hex)
    OK        ok.ru/video/ID, ok.ru/videoembed/ID                            (ID: digits)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_URL_LENGTH = 500

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_RUTUBE_ID = re.compile(r"^[0-9a-f]{32}$")
_VK_VIDEO = re.compile(r"^video(-?\d{1,20})_(\d{1,20})$")
_VK_NUMBER = re.compile(r"^-?\d{1,20}$")
_VK_HASH = re.compile(r"^[0-9a-f]{1,32}$")
_OK_ID = re.compile(r"^\d{1,20}$")
_FORBIDDEN_CHARACTERS = re.compile(r"[\s<>\"'`\\]")

_HOSTS = {
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "youtube-nocookie.com": "youtube",
    "rutube.ru": "rutube",
    "vk.com": "vk",
    "vk.ru": "vk",
    "vkvideo.ru": "vk",
    "ok.ru": "ok",
}


@dataclass(frozen=True)
class Video:
    """A recognised video: ``platform`` is a ``media.models.Platform`` value, ``key`` the id in
    the platform's format (VK: ``OID_ID`` or ``OID_ID_HASH``)."""

    platform: str
    key: str

    @property
    def embed_url(self) -> str:
        return embed_url(self.platform, self.key)

    @property
    def watch_url(self) -> str:
        return watch_url(self.platform, self.key)


def _refuse() -> ValidationError:
    return ValidationError(
        _(
            "Не удалось распознать ссылку на видео. Вставьте адрес страницы ролика в VK Видео, "
            "RUTUBE, YouTube или Одноклассниках (например, https://rutube.ru/video/…/), "
            "а не код плеера."
        ),
        code="unrecognised_video_url",
    )


def _host(netloc: str) -> str:
    host = netloc.lower()
    for prefix in ("www.", "m."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    return host


def _youtube(host: str, path: str, query: dict[str, list[str]]) -> str | None:
    parts = [part for part in path.split("/") if part]
    if host == "youtu.be" and len(parts) == 1:
        candidate = parts[0]
    elif host == "youtube.com" and parts == ["watch"]:
        candidate = (query.get("v") or [""])[0]
    elif host in ("youtube.com", "youtube-nocookie.com") and len(parts) == 2:
        candidate = parts[1] if parts[0] in ("embed", "shorts", "live") else ""
    else:
        return None
    return candidate if _YOUTUBE_ID.match(candidate) else None


def _rutube(path: str) -> str | None:
    parts = [part for part in path.split("/") if part]
    if len(parts) == 2 and parts[0] in ("video", "shorts"):
        candidate = parts[1]
    elif len(parts) == 3 and parts[:2] == ["play", "embed"]:
        candidate = parts[2]
    else:
        return None
    return candidate if _RUTUBE_ID.match(candidate) else None


def _vk(path: str, query: dict[str, list[str]]) -> str | None:
    parts = [part for part in path.split("/") if part]
    if parts == ["video_ext.php"]:
        owner, video = (query.get("oid") or [""])[0], (query.get("id") or [""])[0]
        if not (_VK_NUMBER.match(owner) and video.isdigit() and len(video) <= 20):
            return None
        key = f"{owner}_{video}"
        secret = (query.get("hash") or [""])[0]
        if secret:
            if not _VK_HASH.match(secret):
                return None
            key = f"{key}_{secret}"
        return key
    candidates = [parts[0]] if len(parts) == 1 else []
    # vk.com/videos-1?z=video-1_2%2Fpl_-1_-2: the video opened over a list.
    candidates += [value.split("/")[0] for value in query.get("z", [])]
    for candidate in candidates:
        if match := _VK_VIDEO.match(candidate):
            return f"{match[1]}_{match[2]}"
    return None


def _ok(path: str) -> str | None:
    parts = [part for part in path.split("/") if part]
    if len(parts) == 2 and parts[0] in ("video", "videoembed") and _OK_ID.match(parts[1]):
        return parts[1]
    return None


def parse_video_url(url: str, *, platform: str | None = None) -> Video:
    """The recognised video behind ``url``; ``ValidationError`` (Russian) for anything else,
    and when ``platform`` is given and the URL belongs to another platform."""
    text = (url or "").strip()
    if not text or len(text) > MAX_URL_LENGTH or _FORBIDDEN_CHARACTERS.search(text):
        raise _refuse()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or "@" in parts.netloc:
        raise _refuse()
    try:
        if parts.port is not None:
            raise _refuse()
    except ValueError:
        raise _refuse() from None
    host = _host(parts.hostname or "")
    found = _HOSTS.get(host)
    query = parse_qs(parts.query)
    key = None
    if found == "youtube":
        key = _youtube(host, parts.path, query)
    elif found == "rutube":
        key = _rutube(parts.path)
    elif found == "vk":
        key = _vk(parts.path, query)
    elif found == "ok":
        key = _ok(parts.path)
    if key is None or found is None:
        raise _refuse()
    if platform is not None and found != platform:
        raise ValidationError(
            _("Эта ссылка ведёт на другую платформу, а не на выбранную."),
            code="platform_mismatch",
        )
    return Video(platform=found, key=key)


def _vk_parts(key: str) -> tuple[str, str, str]:
    owner, video, *rest = key.split("_")
    return owner, video, rest[0] if rest else ""


def embed_url(platform: str, key: str) -> str:
    """The player address for an iframe, built only from a parsed id."""
    if platform == "youtube":
        return f"https://www.youtube-nocookie.com/embed/{key}"
    if platform == "rutube":
        return f"https://rutube.ru/play/embed/{key}"
    if platform == "vk":
        owner, video, secret = _vk_parts(key)
        suffix = f"&hash={secret}" if secret else ""
        return f"https://vkvideo.ru/video_ext.php?oid={owner}&id={video}{suffix}"
    if platform == "ok":
        return f"https://ok.ru/videoembed/{key}"
    raise ValueError(f"no embed for platform {platform!r}")


def watch_url(platform: str, key: str) -> str:
    """The video's page on its platform (the link shown when the player is not loaded)."""
    if platform == "youtube":
        return f"https://www.youtube.com/watch?v={key}"
    if platform == "rutube":
        return f"https://rutube.ru/video/{key}/"
    if platform == "vk":
        owner, video, _secret = _vk_parts(key)
        return f"https://vkvideo.ru/video{owner}_{video}"
    if platform == "ok":
        return f"https://ok.ru/video/{key}"
    raise ValueError(f"no page for platform {platform!r}")


# Origins a tour page may frame (for a Content-Security-Policy ``frame-src``).
PLAYER_ORIGINS = (
    "https://www.youtube-nocookie.com",
    "https://rutube.ru",
    "https://vkvideo.ru",
    "https://ok.ru",
)
