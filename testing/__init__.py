"""What the tests share: factories, fixtures and helpers, in one place.

- ``testing.fixtures``: the pytest plugin the root ``conftest.py`` registers: cheap
  password hashing for every test, ``recent_dates``, ``published`` (domain events), and
  staff of each role (``admin_user``, ``agent``, ``colleague``, ``warehouse_user``).
  The root ``conftest.py`` keeps the shops and API clients (``tenant``, ``api`` ...).
- ``testing.factories``: a factory-boy factory for every model.
- ``testing.orders``: order 1001's API payload, ``create_order`` / ``make_order``
  (through the orders service).
- ``testing.returns``: ``file_return`` (a request through the returns service), ``reload``.
- ``testing.staff``: ``TEST_ACTOR``, the staff password, ``add_staff``, ``client_for``.
- ``testing.tenants``: ``make_tenant``, ``api_client_for``.
- ``testing.dates``: ``recent_dates()``, ``days(n)``.
- ``testing.doccache``: ``page_twice`` (a list page from the document cache, compared
  with the page built without it); the ``document_cache`` fixture is in ``fixtures``.
- ``testing.images`` / ``testing.barcodes``: upload photos; decoding a label's barcodes.
- ``testing.notifications``, ``testing.credits``, ``testing.portal``, ``testing.backoffice``,
  ``testing.carriers``, ``testing.backoffice_access``: per-area helpers and the fixtures
  two test directories share (each directory's conftest imports them).
- ``testing.workers``: a real Celery worker for end-to-end tests.
- ``testing.pdf_layout``, ``testing.browser``: words and positions in PDFs; screenshots.

A test module imports from here (or from the application), never from another test
module: what two test modules share belongs in this package.
"""
