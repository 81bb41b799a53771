"""The registry API under /api/v1/: public reads, token-authenticated writes, error shapes."""

from __future__ import annotations

import pytest

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.accounts.tokens import api_token_create, api_token_revoke
from mosprom.registry.models import Enterprise, Product, ProductionSite
from mosprom.registry.tests.factories import (
    make_enterprise,
    make_membership,
    make_product,
    make_sez_membership,
    make_site,
    valid_inn,
    valid_ogrn,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


def bearer(user) -> dict[str, str]:
    _, key = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def organiser():
    return make_user(role=Role.ORGANISER)


@pytest.fixture
def mikron():
    enterprise = make_enterprise(
        short_name="Микрон", legal_name="ПАО «Микрон»", okrug="ZELAO", hosts_tours=True
    )
    make_sez_membership(enterprise, status="resident")
    make_site(enterprise, name="Фабрика", latitude="55.984000", longitude="37.171000")
    make_product(enterprise, name="Микросхема", hs_code="854231")
    return enterprise


# --- Reads ----------------------------------------------------------------------------------


def test_enterprise_list_and_detail(client, mikron):
    make_enterprise(short_name="Трансмаш", industry_code="30", okrug="SVAO")

    listing = client.get(f"{API}/enterprises").json()

    assert listing["count"] == 2
    assert [e["short_name"] for e in listing["items"]] == ["Микрон", "Трансмаш"]
    detail = client.get(f"{API}/enterprises/{mikron.pk}").json()
    assert detail["legal_name"] == "ПАО «Микрон»"
    assert detail["inn"] == mikron.inn
    assert detail["industry"] == {
        "code": "26",
        "name": "Производство компьютеров, электронных и оптических изделий",
    }
    assert detail["okrug"] == "ZELAO"
    assert detail["okrug_name"] == "Зеленоградский (ЗелАО)"
    assert detail["sez"]["status"] == "resident"
    assert detail["sez"]["zone"] == "Технополис Москва"
    assert detail["url"] == f"/enterprises/{mikron.pk}/"


def test_enterprise_list_filters_and_search(client, mikron):
    make_enterprise(short_name="Трансмаш", industry_code="30", okrug="SVAO")
    make_enterprise(short_name="Ангстрем", okrug="ZELAO")

    def names(**params):
        return [e["short_name"] for e in client.get(f"{API}/enterprises", params).json()["items"]]

    assert names(okrug="ZELAO") == ["Ангстрем", "Микрон"]
    assert names(okrug="ZELAO", hosts_tours="true") == ["Микрон"]
    assert names(sez="resident") == ["Микрон"]
    assert names(industry="30") == ["Трансмаш"]
    assert names(q="микрон") == ["Микрон"]


def test_bad_filter_values_are_422_with_russian_messages(client):
    response = client.get(f"{API}/enterprises", {"okrug": "MARS", "limit": "0"})

    assert response.status_code == 422
    errors = {tuple(e["loc"]): e["msg"] for e in response.json()["detail"]}
    assert errors[("query", "okrug")].startswith("Допустимые значения")
    assert errors[("query", "limit")] == "Не меньше 1."


def test_sites_and_products(client, mikron):
    other = make_enterprise(short_name="Трансмаш")
    make_site(other)
    make_product(other, name="Вагон")

    sites = client.get(f"{API}/enterprises/{mikron.pk}/sites").json()
    products = client.get(f"{API}/enterprises/{mikron.pk}/products").json()

    assert sites["count"] == 1
    site = sites["items"][0]
    assert site["name"] == "Фабрика"
    assert site["latitude"] == pytest.approx(55.984)
    assert site["map_url"].startswith("https://www.openstreetmap.org/?mlat=55.984000")
    assert products["items"] == [
        {
            "id": mikron.products.get().pk,
            "enterprise_id": mikron.pk,
            "name": "Микросхема",
            "description": "",
            "hs_code": "854231",
        }
    ]
    assert client.get(f"{API}/sites").json()["count"] == 2
    assert client.get(f"{API}/products").json()["count"] == 2


@pytest.mark.parametrize(
    "path", ["/enterprises/{}", "/enterprises/{}/sites", "/enterprises/{}/products"]
)
def test_unknown_enterprise_is_404(client, path):
    response = client.get(API + path.format(987654))

    assert response.status_code == 404
    assert response.json() == {"detail": "Не найдено."}


def test_non_numeric_and_huge_ids_are_422_not_500(client):
    assert client.get(f"{API}/enterprises/abc").status_code == 422
    assert client.get(f"{API}/enterprises/{2**64}").status_code == 422
    assert client.get(f"{API}/enterprises/0").status_code == 422


def test_pagination(client):
    for n in range(25):
        make_enterprise(short_name=f"Завод {n:02d}")

    first = client.get(f"{API}/enterprises", {"limit": 10}).json()
    last = client.get(f"{API}/enterprises", {"limit": 10, "offset": 20}).json()

    assert first["count"] == 25
    assert [e["short_name"] for e in first["items"]] == [f"Завод {n:02d}" for n in range(10)]
    assert [e["short_name"] for e in last["items"]] == [f"Завод {n:02d}" for n in range(20, 25)]
    assert len(client.get(f"{API}/enterprises").json()["items"]) == 20  # the default
    assert client.get(f"{API}/enterprises", {"limit": 101}).status_code == 422


def _populate(n: int) -> None:
    for i in range(n):
        enterprise = make_enterprise(short_name=f"Предприятие {i:03d}", description="Завод.")
        make_site(enterprise)
        make_site(enterprise, name="Склад")
        make_product(enterprise)
        if i % 3 == 0:
            make_sez_membership(enterprise, status="located")


@pytest.mark.parametrize(
    "path",
    [
        "/enterprises?limit=100",
        "/enterprises?q=завод&limit=100",
        "/sites?limit=100",
        "/products?limit=100",
    ],
)
def test_list_query_counts_are_bounded(client, django_assert_max_num_queries, path):
    _populate(60)

    with django_assert_max_num_queries(2):
        response = client.get(API + path)

    assert response.status_code == 200
    assert len(response.json()["items"]) >= 60


def test_enterprise_detail_query_count(client, django_assert_max_num_queries, mikron):
    with django_assert_max_num_queries(3):
        assert client.get(f"{API}/enterprises/{mikron.pk}").status_code == 200


# --- Writes ---------------------------------------------------------------------------------


def new_enterprise(n: int = 900, **fields) -> dict:
    return {
        "short_name": "Новый завод",
        "legal_name": "АО «Новый завод»",
        "inn": valid_inn(n),
        "ogrn": valid_ogrn(n),
        "okved": "28.12",
        "okrug": "UAO",
        "hosts_tours": True,
        **fields,
    }


def test_writes_need_a_valid_token(client, mikron, organiser):
    _, key = api_token_create(user=organiser, name="old")
    api_token_revoke(token=organiser.api_tokens.get(), actor=organiser)
    for headers in (
        {},
        {"Authorization": "Bearer mp_nonsense"},
        {"Authorization": f"Bearer {key}"},
    ):
        response = client.post(
            f"{API}/enterprises", new_enterprise(), content_type="application/json", headers=headers
        )
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Bearer"
        assert "API-токен" in response.json()["detail"]
    assert not Enterprise.objects.filter(short_name="Новый завод").exists()


def test_session_login_does_not_authorise_api_writes(client, organiser):
    client.force_login(organiser)

    response = client.post(f"{API}/enterprises", new_enterprise(), content_type="application/json")

    assert response.status_code == 401


@pytest.mark.parametrize("role", [Role.VISITOR, Role.HOST])
def test_only_organisers_create_enterprises(client, role):
    response = client.post(
        f"{API}/enterprises",
        new_enterprise(),
        content_type="application/json",
        headers=bearer(make_user(role=role)),
    )

    assert response.status_code == 403
    assert "организаторы" in response.json()["detail"]
    assert not Enterprise.objects.filter(short_name="Новый завод").exists()


def test_organiser_creates_an_enterprise(client, organiser):
    response = client.post(
        f"{API}/enterprises",
        new_enterprise(),
        content_type="application/json",
        headers=bearer(organiser),
    )

    assert response.status_code == 201, response.content
    body = response.json()
    enterprise = Enterprise.objects.get(pk=body["id"])
    assert enterprise.short_name == "Новый завод"
    assert enterprise.industry.code == "28"  # from the OKVED code
    assert body["industry"]["code"] == "28"
    assert body["okrug"] == "UAO"
    assert enterprise.hosts_tours is True


def test_bad_inn_and_ogrn_are_422_with_russian_field_errors(client, organiser):
    payload = new_enterprise(inn="7700000001", ogrn="1027700000001")

    response = client.post(
        f"{API}/enterprises", payload, content_type="application/json", headers=bearer(organiser)
    )

    assert response.status_code == 422
    errors = {tuple(e["loc"]): e["msg"] for e in response.json()["detail"]}
    assert "ИНН «7700000001» недействителен" in errors[("body", "inn")]
    assert "ОГРН «1027700000001» недействителен" in errors[("body", "ogrn")]


def test_schema_errors_are_422_in_russian(client, organiser):
    response = client.post(
        f"{API}/enterprises",
        {"short_name": "", "inn": "12", "extra": 1},
        content_type="application/json",
        headers=bearer(organiser),
    )

    assert response.status_code == 422
    errors = {tuple(e["loc"]): e["msg"] for e in response.json()["detail"]}
    assert errors[("body", "short_name")] == "Поле не может быть пустым."
    assert errors[("body", "legal_name")] == "Обязательное поле."
    assert errors[("body", "inn")] == "Неверный формат."
    assert errors[("body", "extra")] == "Неизвестное поле."


def test_body_that_is_not_json_is_400(client, organiser):
    response = client.post(
        f"{API}/enterprises",
        "{not json",
        content_type="application/json",
        headers=bearer(organiser),
    )

    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_nul_characters_are_refused_not_500(client, organiser):
    response = client.post(
        f"{API}/enterprises",
        new_enterprise(short_name="Завод\x00"),
        content_type="application/json",
        headers=bearer(organiser),
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "short_name"]


def test_duplicate_inn_is_409_with_a_field_error(client, organiser, mikron):
    response = client.post(
        f"{API}/enterprises",
        new_enterprise(inn=mikron.inn),
        content_type="application/json",
        headers=bearer(organiser),
    )

    assert response.status_code == 409
    assert response.json()["detail"] == [
        {
            "loc": ["body", "inn"],
            "msg": "Предприятие с таким ИНН уже есть в реестре.",
            "type": "unique",
        }
    ]
    assert Enterprise.objects.filter(inn=mikron.inn).count() == 1


def test_organiser_updates_an_enterprise(client, organiser, mikron):
    response = client.patch(
        f"{API}/enterprises/{mikron.pk}",
        {"description": "Микроэлектроника.", "hosts_tours": False, "okrug": None},
        content_type="application/json",
        headers=bearer(organiser),
    )

    assert response.status_code == 200, response.content
    mikron.refresh_from_db()
    assert mikron.description == "Микроэлектроника."
    assert mikron.hosts_tours is False
    assert mikron.okrug == ""
    assert mikron.short_name == "Микрон"  # untouched


def test_update_to_another_enterprises_inn_is_409(client, organiser, mikron):
    other = make_enterprise(short_name="Ангстрем")

    response = client.patch(
        f"{API}/enterprises/{other.pk}",
        {"inn": mikron.inn},
        content_type="application/json",
        headers=bearer(organiser),
    )

    assert response.status_code == 409
    other.refresh_from_db()
    assert other.inn != mikron.inn


def test_update_rejects_null_for_required_fields(client, organiser, mikron):
    response = client.patch(
        f"{API}/enterprises/{mikron.pk}",
        {"short_name": None},
        content_type="application/json",
        headers=bearer(organiser),
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "short_name"]


def test_host_updates_nothing_but_their_sites_and_products(client, mikron):
    host = make_user(role=Role.HOST)
    make_membership(host, mikron)
    headers = bearer(host)

    patch = client.patch(
        f"{API}/enterprises/{mikron.pk}",
        {"description": "Взлом"},
        content_type="application/json",
        headers=headers,
    )
    assert patch.status_code == 403

    product = client.post(
        f"{API}/enterprises/{mikron.pk}/products",
        {"name": "Чип RFID", "hs_code": "8523520000"},
        content_type="application/json",
        headers=headers,
    )
    assert product.status_code == 201, product.content
    assert product.json()["enterprise_id"] == mikron.pk
    assert mikron.products.filter(name="Чип RFID").exists()

    site = client.post(
        f"{API}/enterprises/{mikron.pk}/sites",
        {"name": "Новый цех", "address": "Зеленоград, корпус 5", "latitude": 55.9812345678},
        content_type="application/json",
        headers=headers,
    )
    assert site.status_code == 201, site.content
    assert site.json()["latitude"] == pytest.approx(55.981235)


def test_host_cannot_add_to_another_enterprise(client, mikron):
    host = make_user(role=Role.HOST)
    make_membership(host, mikron)
    other = make_enterprise(short_name="Трансмаш")

    for kind, payload in (
        ("products", {"name": "Вагон"}),
        ("sites", {"name": "Депо", "address": "Москва"}),
    ):
        response = client.post(
            f"{API}/enterprises/{other.pk}/{kind}",
            payload,
            content_type="application/json",
            headers=bearer(host),
        )
        assert response.status_code == 403
    assert not other.products.exists()
    assert not other.sites.exists()


def test_visitor_cannot_add_a_product(client, mikron):
    response = client.post(
        f"{API}/enterprises/{mikron.pk}/products",
        {"name": "Чип"},
        content_type="application/json",
        headers=bearer(make_user()),
    )

    assert response.status_code == 403


def test_adding_to_an_unknown_enterprise_is_404(client, organiser):
    response = client.post(
        f"{API}/enterprises/987654/products",
        {"name": "Чип"},
        content_type="application/json",
        headers=bearer(organiser),
    )

    assert response.status_code == 404


def test_bad_product_and_site_input_is_422(client, organiser, mikron):
    headers = bearer(organiser)

    product = client.post(
        f"{API}/enterprises/{mikron.pk}/products",
        {"name": "Чип", "hs_code": "12"},
        content_type="application/json",
        headers=headers,
    )
    site = client.post(
        f"{API}/enterprises/{mikron.pk}/sites",
        {"name": "Цех", "address": "Москва", "latitude": 91},
        content_type="application/json",
        headers=headers,
    )

    assert product.status_code == 422
    assert product.json()["detail"][0]["loc"] == ["body", "hs_code"]
    assert site.status_code == 422
    assert site.json()["detail"][0]["msg"] == "Не больше 90."


def test_delete_site_and_product_follow_the_same_rule(client, mikron):
    host = make_user(role=Role.HOST)
    make_membership(host, mikron)
    stranger = make_user(role=Role.HOST)
    site = mikron.sites.get()
    product = mikron.products.get()

    assert client.delete(f"{API}/sites/{site.pk}", headers=bearer(stranger)).status_code == 403
    assert (
        client.delete(f"{API}/products/{product.pk}", headers=bearer(stranger)).status_code == 403
    )
    assert client.delete(f"{API}/sites/{site.pk}").status_code == 401
    assert ProductionSite.objects.filter(pk=site.pk).exists()

    assert client.delete(f"{API}/sites/{site.pk}", headers=bearer(host)).status_code == 204
    assert client.delete(f"{API}/products/{product.pk}", headers=bearer(host)).status_code == 204
    assert not ProductionSite.objects.filter(pk=site.pk).exists()
    assert not Product.objects.filter(pk=product.pk).exists()
    assert client.delete(f"{API}/sites/{site.pk}", headers=bearer(host)).status_code == 404


def test_openapi_and_docs_are_served_without_a_cdn(client):
    schema = client.get(f"{API}/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {
        "/api/v1/enterprises",
        "/api/v1/enterprises/{id}",
        "/api/v1/sites",
        "/api/v1/products",
    } <= set(paths)
    assert paths["/api/v1/enterprises"]["post"]["security"] == [{"TokenAuth": []}]

    docs = client.get(f"{API}/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/" in html
    assert "cdn" not in html.lower()
    assert "unpkg" not in html.lower()
    assert client.get("/api/docs").status_code in (301, 302)
