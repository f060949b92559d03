"""A client of the API with a token of a user's own, as a script would hold one."""

from django.test import Client

from workbench.api import tokens


class ApiClient:
    def __init__(self, user, *, write: bool = True, days: int = 30):
        self.token, self.secret = tokens.token_create(user=user, name="tests", can_write=write, days=days)
        self.client = Client(raise_request_exception=False)

    def _headers(self, headers: dict) -> dict:
        return {"Authorization": f"Bearer {self.secret}", **headers}

    def get(self, path: str, data=None, **headers):
        return self.client.get(f"/api/v1{path}", data, headers=self._headers(headers))

    def post(self, path: str, body=None, **headers):
        return self.client.post(
            f"/api/v1{path}", body or {}, content_type="application/json", headers=self._headers(headers)
        )

    def patch(self, path: str, body=None, **headers):
        return self.client.patch(
            f"/api/v1{path}", body or {}, content_type="application/json", headers=self._headers(headers)
        )

    def put(self, path: str, body=None, **headers):
        return self.client.put(
            f"/api/v1{path}", body or {}, content_type="application/json", headers=self._headers(headers)
        )

    def delete(self, path: str, **headers):
        return self.client.delete(f"/api/v1{path}", headers=self._headers(headers))
