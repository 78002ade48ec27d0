"""B16 theorems: contraction, closed-form policy values, value-iteration rate and stopping rule,
policy improvement, policy iteration, Q-learning."""

from __future__ import annotations

import numpy as np

from aimath.rl.bellman import bellman_expectation, bellman_optimality, greedy_policy, q_from_v
from aimath.rl.builders import gridworld, random_mdp
from aimath.rl.dynamic_programming import (
    policy_evaluation,
    policy_iteration,
    q_value_iteration,
    value_iteration,
)
from aimath.rl.td import q_learning
from aimath.theorems import Evidence, fit_line, theorem


def _random_policy(rng, mdp, stochastic=False):
    if stochastic:
        w = rng.exponential(size=(mdp.n_states, mdp.n_actions))
        return w / w.sum(axis=1, keepdims=True)
    return rng.integers(0, mdp.n_actions, mdp.n_states)


@theorem("B16.bellman-contraction",
         "‖TV − TU‖∞ ≤ γ‖V − U‖∞ for T^π and T (10³ random pairs); a constant shift attains γ for T")
def contraction(rng):
    ratios_opt, ratios_pi = [], []
    for _ in range(4):
        mdp = random_mdp(40, 3, 5, rng, gamma=float(rng.uniform(0.5, 0.99)))
        V = rng.standard_normal((40, 250)) * 10
        U = rng.standard_normal((40, 250)) * 10
        pi = _random_policy(rng, mdp, stochastic=True)
        d = np.abs(V - U).max(axis=0)
        ratios_opt.append(np.abs(bellman_optimality(V, mdp) - bellman_optimality(U, mdp)).max(axis=0) / d / mdp.gamma)
        ratios_pi.append(np.abs(bellman_expectation(V, mdp, pi) - bellman_expectation(U, mdp, pi)).max(axis=0)
                         / d / mdp.gamma)
        c = 3.7
        shift = np.abs(bellman_optimality(V[:, 0] + c, mdp) - bellman_optimality(V[:, 0], mdp)).max() / (c * mdp.gamma)
    return Evidence.all(
        optimality=Evidence.bound(float(np.max(ratios_opt)), 1 + 1e-12, note="max ‖TV−TU‖/(γ‖V−U‖)"),
        expectation=Evidence.bound(float(np.max(ratios_pi)), 1 + 1e-12, note="max ‖T^πV−T^πU‖/(γ‖V−U‖)"),
        tight=Evidence.close(shift, 1.0, rtol=1e-12, note="T(V + c) = TV + γc"),
    )


@theorem("B16.policy-evaluation", "V^π = (I − γP^π)⁻¹ r^π is the fixed point of T^π (direct = iterative, 1e-8)")
def policy_value(rng):
    mdp = random_mdp(60, 4, 6, rng, gamma=0.95)
    pi = _random_policy(rng, mdp, stochastic=True)
    V = policy_evaluation(mdp, pi, "direct")
    Vi = policy_evaluation(mdp, pi, "iterative", tol=1e-11)
    resid = np.abs(bellman_expectation(V, mdp, pi) - V).max() / np.abs(V).max()
    return Evidence.all(
        direct_vs_iterative=Evidence.close(Vi, V, rtol=0, atol=1e-8),
        fixed_point=Evidence.bound(resid, 1e-13, note="‖T^πV − V‖∞/‖V‖∞"),
    )


@theorem("B16.value-iteration-rate",
         "‖V_k − V*‖∞ ≤ γ^k‖V_0 − V*‖∞, and the error decays at rate γ: slope of log error = log γ ± 2 %")
def vi_rate(rng):
    gamma = 0.9
    mdp = random_mdp(80, 4, 8, rng, gamma=gamma, sparse=False)
    V_star = policy_iteration(mdp).V
    res = value_iteration(mdp, tol=1e-9, record=True)
    err = np.abs(res.iterates - V_star).max(axis=1)
    k = np.arange(err.size)
    bound_ratio = err / (gamma**k * err[0])
    keep = (err > 1e-11) & (k >= 20)  # past the transient, above round-off
    kk, le = k[keep], np.log(err[keep])
    slope = fit_line(kk, le)[0] if kk.size > 2 else np.nan
    return Evidence.all(
        a_priori=Evidence.bound(float(bound_ratio.max()), 1 + 1e-9, note="max_k ‖V_k−V*‖/(γ^k‖V_0−V*‖)"),
        rate=Evidence.close(slope, np.log(gamma), rtol=0.02, note=f"semi-log slope over {kk.size} sweeps"),
    )


@theorem("B16.value-iteration-stopping",
         "stopping at ‖ΔV‖∞ < ε(1−γ)/(2γ) gives ‖V − V*‖∞ < ε/2 and an ε-optimal policy")
def vi_stop(rng):
    worst_v, worst_pi = [], []
    for eps in (1e-1, 1e-3, 1e-6):
        mdp = random_mdp(50, 3, 5, rng, gamma=0.95)
        V_star = policy_iteration(mdp).V
        res = value_iteration(mdp, tol=eps)
        worst_v.append(np.abs(res.V - V_star).max() / (eps / 2))
        worst_pi.append(np.abs(policy_evaluation(mdp, res.policy) - V_star).max() / eps)
    return Evidence.all(value=Evidence.bound(max(worst_v), 1.0, note="‖V−V*‖/(ε/2)"),
                        policy=Evidence.bound(max(worst_pi), 1.0, note="‖V^π−V*‖/ε"))


@theorem("B16.policy-improvement", "the greedy policy π' of V^π satisfies V^{π'} ≥ V^π in every state")
def improvement(rng):
    worst, gains = [], []
    for _ in range(20):
        mdp = random_mdp(30, 4, 4, rng, gamma=float(rng.uniform(0.5, 0.99)))
        pi = _random_policy(rng, mdp)
        V = policy_evaluation(mdp, pi)
        V2 = policy_evaluation(mdp, greedy_policy(q_from_v(V, mdp)))
        worst.append(float(np.min(V2 - V) / np.abs(V).max()))
        gains.append(float(np.max(V2 - V)))
    return Evidence.all(monotone=Evidence.bound(min(worst), -1e-12, kind=">=", note="min (V^{π'} − V^π)/‖V^π‖"),
                        strict=Evidence.bound(min(gains), 0.0, kind=">", note="a random policy is strictly improved"))


@theorem("B16.policy-iteration",
         "policy iteration terminates in finitely many steps and agrees with value iteration (1e-8)")
def pi_terminates(rng):
    errs, steps, same = [], [], []
    for _ in range(5):
        mdp = random_mdp(100, 5, 6, rng, gamma=0.97)
        pi_res = policy_iteration(mdp)
        vi_res = value_iteration(mdp, tol=1e-10)
        errs.append(np.abs(pi_res.V - vi_res.V).max())
        steps.append(pi_res.n_iter)
        same.append(np.array_equal(pi_res.policy, vi_res.policy))
    return Evidence.all(agree=Evidence.close(np.array(errs), 0.0, atol=1e-8),
                        finite=Evidence.bound(max(steps), 100, note=f"improvement steps {steps}"),
                        same_policy=Evidence.bound(float(np.mean(same)), 1.0, kind=">=",
                                                   note="fraction of instances with identical policies"))


@theorem("B16.optimality-fixed-point", "V* = TV* and max_a Q*(·, a) = V*, with Q* from Q-value iteration")
def fixed_point(rng):
    mdp = random_mdp(70, 3, 5, rng, gamma=0.9)
    V = policy_iteration(mdp).V
    Q = q_value_iteration(mdp, tol=1e-11).Q
    return Evidence.all(bellman=Evidence.close(bellman_optimality(V, mdp), V, rtol=1e-12, atol=1e-12),
                        q_star=Evidence.close(Q.max(axis=1), V, atol=1e-9))


@theorem("B16.q-learning", "Q-learning (ε-greedy, steps 1/n^0.65) comes within 1e-2 of Q* on a slippery 4×4 gridworld")
def q_learning_converges(rng):
    mdp = gridworld((4, 4), slip=0.1, gamma=0.9)
    Q_star = q_value_iteration(mdp, tol=1e-12).Q
    res = q_learning(mdp, 6000, n_envs=64, rng=rng, epsilon=0.3, reference=Q_star, record_every=500)
    return Evidence.bound(res.history[-1, 1], 1e-2, note=f"sup error after {res.n_steps}×64 transitions")
