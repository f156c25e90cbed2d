import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "returns_platform.settings")
application = get_wsgi_application()

# The web process's garbage collector, tuned for requests (docs/performance.md): the
# objects of the loaded application (about 150,000, alive as long as the process) are
# moved out of the collector's reach, and the youngest generation is collected every
# 10,000 new containers instead of every 700. A bulk upsert of 500 orders creates tens of
# thousands (its JSON alone) and spent about a quarter of its CPU time in collections.
# Reference counting still frees every object that is not part of a cycle at once.
GC_THRESHOLD = (10_000, 10, 10)
gc.collect()
gc.freeze()
gc.set_threshold(*GC_THRESHOLD)
