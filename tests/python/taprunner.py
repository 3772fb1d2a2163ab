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


def main():
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules['__main__'])
    result = TapResult()
    suite.run(result)
    print('1..%d' % result.count)
    sys.exit(0 if result.wasSuccessful() else 1)
