"""scikit-learn's own estimator checks on every aimath.learn estimator.

Every check that is expected to fail is listed in ``EXPECTED_FAILURES`` below with its reason
(this is the one place); everything else must pass. The number of checks that passed is printed
at the end of the session (``-s`` or the terminal summary) and compared with a floor so that it
cannot shrink silently.
"""

from __future__ import annotations

from sklearn.utils.estimator_checks import parametrize_with_checks

from aimath.learn import (
    PCA,
    SVC,
    KernelPCA,
    KernelRidge,
    LinearRegression,
    LinearSVC,
    LogisticRegression,
    Perceptron,
    Ridge,
)

ESTIMATORS = [
    LinearRegression(),
    LinearRegression(solver="normal"),
    Ridge(),
    LogisticRegression(),
    LogisticRegression(solver="newton"),
    Perceptron(random_state=0, max_iter=20),
    LinearSVC(random_state=0, max_iter=20, tol=1e-2),
    SVC(),
    KernelRidge(kernel="rbf"),
    KernelPCA(n_components=2),
    PCA(),
]

EXPECTED_FAILURES: dict[str, dict[str, str]] = {
    # name of the estimator class -> {check name: reason}
    "LinearSVC": {
        "check_sample_weight_equivalence_on_dense_data": "random coordinate order: duplicated samples "
                                                         "change the visiting sequence, so the iterates "
                                                         "agree only to tol",
    },
    "SVC": {
        "check_sample_weight_equivalence_on_dense_data": "a weight of 2 doubles C for one sample while a "
                                                         "duplicate adds a second dual variable; the optima "
                                                         "agree only up to the SMO tolerance (as in libsvm, "
                                                         "which scikit-learn also marks xfail)",
    },
}

PASSED: list[str] = []


def _expected_failures(estimator):
    return EXPECTED_FAILURES.get(type(estimator).__name__, {})


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failures)
def test_sklearn_compatible(estimator, check):
    check(estimator)
    PASSED.append(f"{type(estimator).__name__}:{getattr(check, 'func', check).__name__}")


def test_zz_report_count(capsys):
    """Print how many checks passed (runs after the parametrised checks in file order)."""
    n = len(PASSED)
    with capsys.disabled():
        print(f"\n[aimath.learn] scikit-learn estimator checks passed: {n}")
    if n:  # only meaningful when the whole file ran
        assert n >= MIN_PASSED, f"only {n} estimator checks passed, expected at least {MIN_PASSED}"


MIN_PASSED = 600
