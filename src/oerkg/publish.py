"""Push the built dumps into a SPARQL store over the Graph Store Protocol, then verify the counts.

Works with any SPARQL 1.1 Graph Store HTTP Protocol endpoint that takes HTTP basic authentication
or none: Oxigraph (`/store`, queries at `/query`; the tests publish into a real one), Apache Jena
Fuseki (`/DATASET/data`, `/DATASET/query`), GraphDB (`/repositories/REPO/rdf-graphs/service`,
`/repositories/REPO`), OpenLink Virtuoso 7 (`/sparql-graph-crud-auth`, queries at `/sparql`;
the tests publish into a real one, with `--graph-per-source` only: its Graph Store endpoint has
no default graph). QLever's writes need its access token: load its index from the dumps.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Generator
from pathlib import Path

import httpx
import pyoxigraph as ox

from .config import Config
from .errors import InputError, OutputError

TIMEOUT = httpx.Timeout(60.0, connect=10.0)
_QUERY_NEXT_TO = {  # Oxigraph, Fuseki, Virtuoso (anonymous and authenticated)
    "/store": "/query",
    "/data": "/query",
    "/sparql-graph-crud": "/sparql",
    "/sparql-graph-crud-auth": "/sparql",
}


def publish(
    config: Config,
    endpoint: str,
    *,
    out: Path | None = None,
    per_source: bool = False,
    user: str | None = None,
    query_endpoint: str | None = None,
) -> str:
    """Replace the store's copy of the graph with the built dumps and check the triple counts.

    With `per_source`, each source file's named graph is PUT (replaced) on its own and the
    store's other graphs under `{base}graph/` that the build no longer has are deleted;
    otherwise the union goes into the default graph (`PUT ?default`). Needs a build: publish
    sends exactly what `oerkg build` validated and wrote.
    """
    site = out or config.project / "site"
    graphs = _read_dump(site / "dumps" / "graph.nq")
    verify_at = query_endpoint or _guess_query_endpoint(endpoint)
    auth = _auth(user)
    with httpx.Client(auth=auth, timeout=TIMEOUT) as client:
        uploads: dict[str | None, list[ox.Triple]]
        if per_source:
            uploads = dict(graphs.items())
        else:
            uploads = {None: sorted({t for triples in graphs.values() for t in triples}, key=str)}
        failed = _upload(client, endpoint, uploads)
        if len(failed) == len(uploads):
            raise OutputError(
                "the store refused every graph, so it holds what it held before:\n  "
                + "\n  ".join(failed)
            )
        if failed:
            raise OutputError(
                f"partial upload: {len(failed)} of {len(uploads)} graph(s) failed, so the store "
                "holds a mix of old and new data; fix the cause and publish again:\n  "
                + "\n  ".join(failed)
            )
        if per_source:
            _delete_stale(client, endpoint, verify_at, config, set(graphs))
        expected = {name: len(set(triples)) for name, triples in uploads.items()}
        found = _counts(client, verify_at, list(expected))
    wrong = [
        f"{name or 'default graph'}: {found.get(name, 0)} triples, expected {n}"
        for name, n in expected.items()
        if found.get(name, 0) != n
    ]
    if wrong:
        raise OutputError("the store does not hold what was sent:\n  " + "\n  ".join(wrong))
    total = sum(expected.values())
    where = f"{len(uploads)} named graph(s)" if per_source else "the default graph"
    return f"Published {total} triples into {where} at {endpoint}; verified at {verify_at}."


def _read_dump(path: Path) -> dict[str, list[ox.Triple]]:
    if not path.is_file():
        raise InputError("no built dumps to publish; run `oerkg build` first", path=path)
    graphs: dict[str, list[ox.Triple]] = defaultdict(list)
    try:
        for quad in ox.parse(path=path, format=ox.RdfFormat.N_QUADS):
            name = quad.graph_name
            graphs[name.value if isinstance(name, ox.NamedNode) else ""].append(quad.triple)
    except (SyntaxError, OSError) as exc:
        raise InputError(f"cannot read the dump: {exc}", path=path) from None
    if "" in graphs:
        raise InputError("the dump has triples outside a named graph; rebuild", path=path)
    return dict(graphs)


def _guess_query_endpoint(endpoint: str) -> str:
    url = httpx.URL(endpoint)
    for suffix, replacement in _QUERY_NEXT_TO.items():
        if url.path.endswith(suffix):
            return str(url.copy_with(path=url.path[: -len(suffix)] + replacement, query=None))
    raise InputError(f"cannot guess the SPARQL query endpoint of {endpoint}; give --query-endpoint URL")


def _auth(user: str | None) -> _BasicOrDigest | None:
    if user is None:
        return None
    password = os.environ.get("OERKG_PASSWORD")
    if password is None:
        raise InputError(f"--user {user} needs the password in the OERKG_PASSWORD variable")
    return _BasicOrDigest(user, password)


class _BasicOrDigest(httpx.Auth):
    """HTTP basic authentication (RFC 7617), or digest (RFC 7616) when the store asks for it.

    Fuseki, GraphDB and proxies in front of Oxigraph take basic; Virtuoso's authenticated
    Graph Store endpoint refuses basic and challenges for digest only.
    """

    requires_request_body = True  # a digest retry sends the body again

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._use_digest = False

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if not self._use_digest:
            response = yield next(self._basic.auth_flow(request))  # sets the header
            challenge = response.headers.get("www-authenticate", "").lower()
            if response.status_code != 401 or challenge.startswith("basic"):
                return
            # Virtuoso answers a basic attempt with no challenge at all: ask again without
            # credentials, and digest answers the challenge if the store sends one.
            self._use_digest = True  # later requests skip the refused basic attempt
            del request.headers["Authorization"]
        yield from self._digest.auth_flow(request)


def _upload(
    client: httpx.Client, endpoint: str, uploads: dict[str | None, list[ox.Triple]]
) -> list[str]:
    """PUT every graph; return one line per graph that failed once some were replaced."""
    failed: list[str] = []
    for done, (name, triples) in enumerate(uploads.items()):
        params = {"graph": name} if name else {"default": ""}
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        headers = {"Content-Type": "application/n-triples"}
        try:
            response = _send(client, "PUT", endpoint, params=params, content=body, headers=headers)
        except OutputError as exc:
            if done == len(failed):  # nothing replaced yet: the store is as it was
                raise
            failed.append(f"{name or 'default graph'}: {exc}")
            continue
        if not response.is_success:
            failed.append(f"{name or 'default graph'}: {_status(response)}")
    return failed


def _delete_stale(
    client: httpx.Client, endpoint: str, query_at: str, config: Config, keep: set[str]
) -> None:
    # Not `GRAPH ?g {}`: Virtuoso 7 answers it with one row that binds no ?g. A stale graph
    # that is empty holds nothing to remove.
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    prefix = f"{config.base}graph/"
    graphs = [r["g"] for r in _select(client, query_at, query) if "g" in r]
    stale = [g for g in graphs if g.startswith(prefix) and g not in keep]
    for name in stale:
        response = _send(client, "DELETE", endpoint, params={"graph": name})
        if not response.is_success and response.status_code != 404:
            raise OutputError(f"could not delete the stale graph {name}: {_status(response)}")


def _counts(client: httpx.Client, query_at: str, names: list[str | None]) -> dict[str | None, int]:
    if names == [None]:
        rows = _select(client, query_at, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return {None: int(rows[0]["n"])}
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    return {r["g"]: int(r["n"]) for r in _select(client, query_at, query)}


def _select(client: httpx.Client, query_at: str, query: str) -> list[dict[str, str]]:
    response = _send(
        client,
        "POST",
        query_at,
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    if not response.is_success:
        raise OutputError(f"the count query at {query_at} failed: {_status(response)}")
    try:
        bindings = response.json()["results"]["bindings"]
        return [{k: v["value"] for k, v in b.items()} for b in bindings]
    except (ValueError, KeyError, TypeError):
        raise OutputError(f"{query_at} did not answer with SPARQL JSON results") from None


def _send(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    params: dict[str, str] | None = None,
    content: bytes | None = None,
    data: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """Send one request; turn network failures and refused credentials into OutputError."""
    try:
        response = client.request(
            method, url, params=params, content=content, data=data, headers=headers
        )
    except httpx.TransportError as exc:
        raise OutputError(f"cannot reach {url}: {exc or type(exc).__name__}") from None
    if response.status_code in (401, 403):
        hint = "check --user and OERKG_PASSWORD" if client.auth else "give --user and set OERKG_PASSWORD"
        raise OutputError(f"{url} refused the request ({_status(response)}); {hint}")
    return response


def _status(response: httpx.Response) -> str:
    text = response.text
    if "html" in response.headers.get("content-type", ""):
        # An HTML error page (Virtuoso's, a proxy's) says what went wrong in its last line of text.
        lines = [line.strip() for line in re.sub(r"<[^>]*>", "\n", text).splitlines()]
        text = next((line for line in reversed(lines) if line), "")
    detail = text.strip().splitlines()[0][:200] if text.strip() else ""
    return f"HTTP {response.status_code} {response.reason_phrase}" + (f": {detail}" if detail else "")
