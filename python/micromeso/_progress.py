"""Progress of a run as a text bar on sys.stderr (so that Jupyter shows it too)."""
import sys
import time


class TextProgress:
    """progress(phase, fraction): one line per phase, redrawn in place.

    The bar: phase, 30 characters, percent done, seconds since the phase
    began and the estimated seconds left, as the command line draws it.
    """

    def __init__(self, stream=None):
        self.stream = stream if stream is not None else sys.stderr
        self.phase = None
        self.start = 0.0

    def __call__(self, phase, fraction):
        now = time.monotonic()
        if phase != self.phase:
            self.finish()
            self.phase, self.start = phase, now
        elapsed = now - self.start
        eta = elapsed * (1.0 - fraction) / fraction if fraction > 0 else 0.0
        filled = int(fraction * 30)
        self.stream.write("\r%-9s [%-30s] %5.1f %%  %6.1f s  eta %6.1f s"
                          % (phase, "#" * filled, fraction * 100.0, elapsed, eta))
        if fraction >= 1.0:
            self.finish()
        self.stream.flush()

    def log(self, line):
        self.finish()
        self.stream.write(line + "\n")
        self.stream.flush()

    def finish(self):
        if self.phase is not None:
            self.stream.write("\n")
            self.phase = None


def resolve(progress):
    """(progress callable or None, log callable or None) for a run's `progress` argument."""
    if progress is None:
        isatty = getattr(sys.stderr, "isatty", None)
        progress = bool(isatty and isatty())
    if progress is True:
        bar = TextProgress()
        return bar, bar.log
    if progress is False:
        return None, None
    if callable(progress):
        return progress, None
    raise TypeError("progress: expected None, True, False or a callable progress(phase, fraction), got %r"
                    % (progress,))
