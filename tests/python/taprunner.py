"""Run the unittest cases of a module and print TAP, one line per case.

Test scripts end with `taprunner.main()`; meson runs them with protocol 'tap'.
"""
import sys
import unittest


class TapResult(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.count = 0

    def _line(self, test, ok, directive='', err=None):
        self.count += 1
        print('%s %d - %s%s' % ('ok' if ok else 'not ok', self.count, test.id(), directive))
        if err is not None:
            for line in self._exc_info_to_string(err, test).splitlines():
                print('# ' + line)
        sys.stdout.flush()

    def addSuccess(self, test):
        super().addSuccess(test)
        self._line(test, True)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._line(test, False, err=err)

    def addError(self, test, err):
        super().addError(test, err)
        self._line(test, False, err=err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._line(test, True, ' # SKIP ' + reason)

    # unittest.expectedFailure: a known bug, TAP "TODO". A case that starts
    # passing shows as an unexpected pass, which meson counts as a failure.
    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._line(test, False, ' # TODO known failure', err=err)

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._line(test, True, ' # TODO known failure passes now')


def main():
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules['__main__'])
    result = TapResult()
    suite.run(result)
    print('1..%d' % result.count)
    sys.exit(0 if result.wasSuccessful() else 1)
