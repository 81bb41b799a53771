"""Video URLs: only recognised platform URLs become players (``media.embeds``)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from mosprom.media.embeds import PLAYER_ORIGINS, embed_url, parse_video_url, watch_url

YT = "dQw4w9WgXcQ"
RT = "0123456789abcdef0123456789abcdef"

ACCEPTED = [
    # url, platform, key, embed URL, watch URL
    (
        f"https://www.youtube.com/watch?v={YT}",
        "youtube",
        YT,
        f"https://www.youtube-nocookie.com/embed/{YT}",
        f"https://www.youtube.com/watch?v={YT}",
    ),
    (
        f"https://m.youtube.com/watch?v={YT}&t=42s",
        "youtube",
        YT,
        f"https://www.youtube-nocookie.com/embed/{YT}",
        f"https://www.youtube.com/watch?v={YT}",
    ),
    (
        f"https://youtu.be/{YT}",
        "youtube",
        YT,
        f"https://www.youtube-nocookie.com/embed/{YT}",
        f"https://www.youtube.com/watch?v={YT}",
    ),
    (
        f"https://www.youtube.com/embed/{YT}",
        "youtube",
        YT,
        f"https://www.youtube-nocookie.com/embed/{YT}",
        f"https://www.youtube.com/watch?v={YT}",
    ),
    (
        f"https://youtube.com/shorts/{YT}",
        "youtube",
        YT,
        f"https://www.youtube-nocookie.com/embed/{YT}",
        f"https://www.youtube.com/watch?v={YT}",
    ),
    (
        f"https://www.youtube-nocookie.com/embed/{YT}",
        "youtube",
        YT,
        f"https://www.youtube-nocookie.com/embed/{YT}",
        f"https://www.youtube.com/watch?v={YT}",
    ),
    (
        f"https://rutube.ru/video/{RT}/",
        "rutube",
        RT,
        f"https://rutube.ru/play/embed/{RT}",
        f"https://rutube.ru/video/{RT}/",
    ),
    (
        f"http://www.rutube.ru/video/{RT}/?r=wd",
        "rutube",
        RT,
        f"https://rutube.ru/play/embed/{RT}",
        f"https://rutube.ru/video/{RT}/",
    ),
    (
        f"https://rutube.ru/play/embed/{RT}",
        "rutube",
        RT,
        f"https://rutube.ru/play/embed/{RT}",
        f"https://rutube.ru/video/{RT}/",
    ),
    (
        f"https://rutube.ru/shorts/{RT}/",
        "rutube",
        RT,
        f"https://rutube.ru/play/embed/{RT}",
        f"https://rutube.ru/video/{RT}/",
    ),
    (
        "https://vkvideo.ru/video-12345_456239017",
        "vk",
        "-12345_456239017",
        "https://vkvideo.ru/video_ext.php?oid=-12345&id=456239017",
        "https://vkvideo.ru/video-12345_456239017",
    ),
    (
        "https://vk.com/video-12345_456239017",
        "vk",
        "-12345_456239017",
        "https://vkvideo.ru/video_ext.php?oid=-12345&id=456239017",
        "https://vkvideo.ru/video-12345_456239017",
    ),
    (
        "https://vk.com/video_ext.php?oid=-12345&id=456239017&hash=abc123",
        "vk",
        "-12345_456239017_abc123",
        "https://vkvideo.ru/video_ext.php?oid=-12345&id=456239017&hash=abc123",
        "https://vkvideo.ru/video-12345_456239017",
    ),
    (
        "https://vk.com/videos-12345?z=video-12345_456239017%2Fpl_-12345_-2",
        "vk",
        "-12345_456239017",
        "https://vkvideo.ru/video_ext.php?oid=-12345&id=456239017",
        "https://vkvideo.ru/video-12345_456239017",
    ),
    (
        "https://ok.ru/video/123456789",
        "ok",
        "123456789",
        "https://ok.ru/videoembed/123456789",
        "https://ok.ru/video/123456789",
    ),
    (
        "https://ok.ru/videoembed/123456789",
        "ok",
        "123456789",
        "https://ok.ru/videoembed/123456789",
        "https://ok.ru/video/123456789",
    ),
]


def _is_player(url: str) -> bool:
    return any(url.startswith(origin + "/") for origin in PLAYER_ORIGINS)


@pytest.mark.parametrize(("url", "platform", "key", "embed", "watch"), ACCEPTED)
def test_recognised_urls_give_key_embed_and_watch_urls(url, platform, key, embed, watch):
    video = parse_video_url(url)

    assert (video.platform, video.key) == (platform, key)
    assert video.embed_url == embed == embed_url(platform, key)
    assert video.watch_url == watch == watch_url(platform, key)
    assert _is_player(video.embed_url)
    # The watch URL reads back as the same video (a VK player hash is not part of the page).
    same_video = "_".join(key.split("_")[:2]) if platform == "vk" else key
    assert parse_video_url(video.watch_url).key == same_video


@pytest.mark.parametrize(("url", "platform", "key", "embed", "watch"), ACCEPTED)
def test_the_declared_platform_is_accepted(url, platform, key, embed, watch):
    assert parse_video_url(url, platform=platform).key == key


REFUSED = [
    "",
    "   ",
    f"rutube.ru/video/{RT}/",  # no scheme
    f"//rutube.ru/video/{RT}/",  # scheme-relative
    f"ftp://rutube.ru/video/{RT}/",
    f"https://example.com/video/{RT}/",  # another host
    f"https://rutube.ru.evil.com/video/{RT}/",  # look-alikes
    f"https://evilrutube.ru/video/{RT}/",
    f"https://rutube.ru@evil.com/video/{RT}/",
    f"https://youtube.com.evil.com/watch?v={YT}",
    f"https://notyoutu.be/{YT}",
    "https://vk.com.evil.ru/video-1_2",
    f"https://xn--rutube-8ua.ru/video/{RT}/",
    "javascript:alert(1)",
    f"JavaScript://rutube.ru/video/{RT}/%0aalert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    f'<iframe src="https://rutube.ru/play/embed/{RT}"></iframe>',
    "<script>alert(1)</script>",
    f'https://rutube.ru/video/{RT}/" onload="alert(1)',
    f"https://rutube.ru/video/{RT}/ onmouseover=alert(1)",
    f"https://user:secret@rutube.ru/video/{RT}/",  # credentials
    f"https://user@rutube.ru/video/{RT}/",
    f"https://rutube.ru:8443/video/{RT}/",  # ports
    f"https://rutube.ru:443/video/{RT}/",
    f"https://rutube.ru:notaport/video/{RT}/",
    f"https://rutube.ru/video/{RT[:-1]}/",  # wrong id formats
    f"https://rutube.ru/video/{RT.upper()}/",
    f"https://rutube.ru/video/{RT[:-1]}g/",
    "https://rutube.ru/channel/12345/",
    f"https://www.youtube.com/watch?v={YT[:-1]}",
    f"https://www.youtube.com/watch?v={YT[:-1]}!",
    "https://www.youtube.com/watch?list=PL123",
    f"https://youtu.be/{YT}/extra",
    "https://vkvideo.ru/video-1_abc",
    "https://vk.com/video_ext.php?oid=-1&id=2&hash=zz",
    "https://vk.com/club12345",
    "https://ok.ru/video/abc",
    "https://ok.ru/group/123",
    f"https://rutube.ru/video/{RT}/" + "a" * 500,  # overlong
    f"https://www.youtube.com/watch?v={YT}&x=" + "a" * 500,
]


@pytest.mark.parametrize("url", REFUSED)
def test_anything_unrecognised_is_refused(url):
    with pytest.raises(ValidationError) as refused:
        parse_video_url(url)

    assert refused.value.code == "unrecognised_video_url"
    assert "Не удалось распознать ссылку на видео" in refused.value.messages[0]


@pytest.mark.parametrize(
    ("url", "platform"),
    [
        (f"https://rutube.ru/video/{RT}/", "vk"),
        (f"https://youtu.be/{YT}", "rutube"),
        ("https://vkvideo.ru/video-1_2", "youtube"),
        ("https://ok.ru/video/1", "vk"),
        (f"https://rutube.ru/video/{RT}/", "site"),
    ],
)
def test_a_url_of_another_platform_is_refused(url, platform):
    with pytest.raises(ValidationError) as refused:
        parse_video_url(url, platform=platform)

    assert refused.value.code == "platform_mismatch"


def test_a_player_is_built_only_for_known_platforms():
    with pytest.raises(ValueError):
        embed_url("site", "x")
    with pytest.raises(ValueError):
        watch_url("dailymotion", "x")


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=120),
        st.builds(
            lambda host, path: f"https://{host}/{path}",
            st.sampled_from(
                ["rutube.ru", "youtu.be", "vk.com", "ok.ru", "youtube.com", "evil.ru", "rutube.ru."]
            ),
            st.text(max_size=60),
        ),
    )
)
def test_any_input_is_refused_or_becomes_a_player_of_a_known_origin(text):
    try:
        video = parse_video_url(text)
    except ValidationError:
        return
    assert _is_player(video.embed_url)
    assert not any(character in video.embed_url for character in "<>\"' \\`")
