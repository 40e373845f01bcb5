"""oerkg: publish a knowledge graph as a static multilingual site, RDF dumps and a SPARQL endpoint.

The modules, in the order a build uses them (`tests/test_docs.py` checks this map is complete):

    cli             the `oerkg` command: parse arguments, call one function, map errors to exit codes
    errors          the errors a user can act on, and their exit codes
    config          the project folder, `oerkg.toml` and the settings every stage reads
    setting_checks  the check each value of `oerkg.toml` (and SOURCE_DATE_EPOCH) must pass
    vocab           namespaces, shared terms, CURIEs and RDF lists
    formats         the RDF and SPARQL results formats (names, extensions, media types)
    load            parse the Turtle sources, every error at file:line:col
    validate        check the graph: SHACL shapes, known terms, no dangling links
    conformance     data against SHACL shapes: the native engine, else pySHACL; the W3C report
    known_terms     the terms of well-known vocabularies, listed offline (known_terms.json)
    shacl           the native SHACL Core engine `conformance` runs first (shacl/ below)
    rdflib_bridge   pyoxigraph terms to rdflib's and back, for the pySHACL fallback only
    report          the W3C SHACL validation report, as pySHACL, Jena and TopBraid write it
    model           what the pages show, computed once: entities, labels, links, terms
    shape_docs      what each class requires, read from the shapes for the shapes page
    ntriples        sorted N-Triples, the canonical text of a set of statements
    dumps           whole-graph dumps in every format, and each entity's own RDF files
    describe        VoID and the DCAT catalogue
    examples        the example queries: their titles and descriptions in each language
    query           the one SPARQL seam: a read-only dataset, its limits, results written out
    render          every page in every language, the sitemap and static assets (render/ below)
    search          the search index: each language's stemmed names and descriptions, in shards
    hosting         content negotiation for static hosting (.htaccess, nginx)
    incremental     a key per entity, so an unchanged entity's files are reused
    forked          work on every core in forked processes
    output          the output folder: written beside the live site, swapped in at the end
    build           run the stages top to bottom (the one orchestrator)
    query_command   the `oerkg query` command: a result as a text table or a format
    query_pool      queries with hard limits, in worker processes
    negotiate       pick a media type by Accept and a language by Accept-Language
    endpoint        the SPARQL 1.1 Protocol endpoint `/sparql`
    app             the web app: the built site's files, content negotiation, `/sparql`
    serve           build, watch and serve over HTTP
    publish         push the dumps into a SPARQL store (Graph Store Protocol)

    shacl/graph             the data and shapes graphs, indexed by subject and predicate; Unsupported
    shacl/paths             property paths: read from the shapes, followed in the data, written as text
    shacl/literals          XSD lexical forms, datatypes, literal comparisons and language ranges
    shacl/validator         a compiled shape and its checks, run on focus nodes; Result
    shacl/shapes            the shapes graph compiled once: shapes, targets, default messages
    shacl/constraints       one builder per Core constraint component, and their table
    shacl/shape_constraints constraints that refer to other shapes: not, and, or, xone, node, qualified

    render/renderer one page in each language: templates, strings, the shared chrome
    render/pages    every page that is not an entity page, its kinds in render order (pages/ below)
    render/entity   the context of an entity page
    render/infobox  an entity page's infobox: types, key facts (sh:order), roles (org:Membership)
    render/views    what templates receive: texts, links and value views
    render/literals typed literals as people read them in the page's language (CLDR via Babel)
    render/picture  an entity's neighbourhood as inline SVG (links in, links out)
    render/timeline the timeline's events on a time axis, as inline SVG
    render/classes  the ontology's class diagram, as inline SVG
    render/jsonld   the schema.org JSON-LD embedded in pages
    render/sitemap  sitemap.xml (and a sitemap index past 50,000 pages)
    render/env      the compiled templates and UI strings of `site_templates/`
    render/escaping HTML escaping without a Markup object per value

    render/pages/shared     what every index page shares: Found, Index, listings split over pages
    render/pages/browse     home, class listings, timeline, search, 404 and the HTML site map
    render/pages/vocabulary the ontology page and the shapes page
    render/pages/reports    the validation report and translation coverage pages
    render/pages/access     the downloads page and the query page
"""
