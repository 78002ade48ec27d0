"""The chapter map of the companion book: every chapter of both books with a short summary.

The summaries are ours, written from the curriculum (neither book's text is available). Each
chapter names the aimath topic folders that implement it, so the book can link chapters, topics
and benchmark tables.
"""

from __future__ import annotations

import dataclasses
import re

__all__ = ["Chapter", "CHAPTERS", "TOPICS", "chapter", "chapter_sort_key", "parse_chapters"]


@dataclasses.dataclass(frozen=True)
class Chapter:
    """One chapter: id (``A4``, ``B19``), book, part, title, summary and implementing topics."""

    id: str
    book: str
    part: str
    title: str
    summary: str
    topics: tuple[str, ...]

    @property
    def page(self) -> str:
        """The file name of the chapter's page in the built site."""
        return f"{self.id}.html"


_A = "A: Mathematics of Deep Learning"
_B = "B: Mathematics for AI and Machine Learning"

_ROWS: list[tuple[str, str, str, str, tuple[str, ...]]] = [
    ("A1", "", "Supervised learning and classifiers",
     "A classifier maps inputs to labels; a soft classifier returns a point of the probability simplex "
     "and predicts its largest entry. A rich enough model can fit every training label exactly, which says "
     "nothing about new data: sweeping the degree of a polynomial model shows the training error falling "
     "steadily while the error on held-out data first falls, then rises again.",
     ("nn",)),
    ("A2", "", "Regression",
     "Linear least squares three ways (normal equations, QR, pseudoinverse) and why QR is the stable "
     "one; the residual is orthogonal to the column space. Ridge regression trades fit for a smaller "
     "weight vector and tends to the minimum-norm solution as the penalty vanishes. Logistic regression "
     "has no closed form and is fitted by gradient descent with step 1/L.",
     ("learn",)),
    ("A3", "", "Support vector machines",
     "The perceptron finds a separating hyperplane after at most (R/γ)² updates. The hard-margin SVM "
     "picks the separator with the widest gap 2/‖w‖; the soft margin allows violations through the hinge "
     "loss. The dual problem, its KKT conditions and the SMO algorithm, which solves it two multipliers at "
     "a time, complete the picture.",
     ("learn",)),
    ("A4", "", "Deep neural networks, defined",
     "A deep network is a composition of affine maps and elementwise activations. Without the "
     "activations the whole network collapses to a single affine map; with ReLU it is continuous and "
     "piecewise linear. Explicit constructions approximate smooth functions, and a sawtooth built by "
     "composition shows that depth buys exponentially many linear pieces from few units.",
     ("nn",)),
    ("A5", "", "Loss functions",
     "Mean squared error for regression; cross-entropy on logits for classification, whose gradient "
     "with respect to the logits is simply p − e_y and which equals the KL divergence from the one-hot "
     "label. Hinge and logistic losses connect to the SVM and to logistic regression. A summed "
     "cross-entropy below log 2 forces every training point to be classified correctly.",
     ("nn",)),
    ("A6", "", "Training by gradient descent",
     "Gradient descent on smooth convex losses converges at rate 1/k, and linearly when the loss is "
     "strongly convex; a step larger than 2/λ_max makes it diverge. Stochastic gradient descent "
     "replaces the gradient by a mini-batch average whose variance falls like one over the batch size.",
     ("optim",)),
    ("A7", "", "Backpropagation",
     "The chain rule applied layer by layer from the loss backwards: the error signals δ_k obey a simple "
     "recursion and the weight gradients are outer products δ_k a_{k−1}ᵀ. The explicit recursion is shown "
     "beside a general reverse-mode engine; reverse mode costs a small multiple of the forward pass, and "
     "with saturating activations the gradients shrink geometrically with depth.",
     ("nn", "autodiff")),
    ("A8", "", "Convolutional networks",
     "A convolutional layer slides one small filter over the input (cross-correlation with stride and "
     "padding), so the same weights are shared at every position. Written as a structured Toeplitz "
     "matrix it is an ordinary linear map; it commutes with shifts, and pooling summarises neighbourhoods. "
     "Weight sharing makes it far cheaper in parameters than a dense layer.",
     ("nn",)),
    ("A9", "", "Stability of training: loss vs accuracy",
     "The loss a network minimises and the accuracy we report are different things. A Markov-type bound "
     "limits the fraction of samples given low confidence by the mean cross-entropy, yet a training path "
     "can lower the loss while the accuracy gets worse.",
     ("nn",)),
    ("A10", "", "Kernel methods",
     "A positive semidefinite kernel is an inner product of feature maps, possibly infinite-dimensional, "
     "so linear methods become nonlinear without ever forming the features. The reproducing property and "
     "the representer theorem reduce learning to the Gram matrix: kernel ridge regression and the kernel "
     "SVM. Very wide networks behave like kernel machines with the neural tangent kernel.",
     ("learn",)),
    ("A11", "", "Random matrices and pruning",
     "The singular values of a large random matrix follow the Marchenko–Pastur law. Singular values of a "
     "trained weight matrix that sit inside this random bulk carry little signal, so the matrix can be "
     "truncated there with almost no loss of accuracy.",
     ("nn",)),
    ("B1", "Part I: Linear algebra", "Vector spaces",
     "Span, linear independence, bases and dimension; coordinates of a vector in a basis and how they "
     "change with the basis; the rank of a matrix as the dimension of the space its columns span.",
     ("linalg",)),
    ("B2", "Part I: Linear algebra", "Inner products",
     "An inner product gives lengths and angles. Cauchy–Schwarz and the triangle inequality follow from "
     "the axioms; the ℓ₁, ℓ₂, ℓ∞, Frobenius and spectral norms measure size in different ways, yet in "
     "finite dimension any two are equivalent up to constants. A symmetric positive definite matrix "
     "defines a weighted inner product; cosine similarity is the normalised inner product.",
     ("linalg",)),
    ("B3", "Part I: Linear algebra", "Matrix operations",
     "The algebra of matrices: transpose, trace and determinant rules, products of blocks, the "
     "Kronecker and Hadamard products, and the Sherman–Morrison–Woodbury formula that updates a solve "
     "after a low-rank change without starting again.",
     ("linalg",)),
    ("B4", "Part I: Linear algebra", "Subspaces",
     "Every matrix has four fundamental subspaces: column space, null space, row space and left null "
     "space. The row space is orthogonal to the null space, and rank plus nullity equals the number of "
     "columns.",
     ("linalg",)),
    ("B5", "Part I: Linear algebra", "Orthogonality",
     "Orthogonal projections are the symmetric idempotent matrices. Gram–Schmidt builds an orthonormal "
     "basis; the classical form loses orthogonality like κ²ε in floating point, the modified form like "
     "κε, and a second pass of re-orthogonalisation restores it.",
     ("linalg",)),
    ("B6", "Part I: Linear algebra", "QR decomposition",
     "A = QR with Q orthogonal and R upper triangular, computed by Householder reflections, Givens "
     "rotations or a blocked Householder scheme. It is backward stable whatever the conditioning, and it "
     "solves least-squares problems without squaring the condition number.",
     ("linalg",)),
    ("B7", "Part I: Linear algebra", "LU decomposition",
     "Gaussian elimination as the factorisation PA = LU. Without row exchanges a tiny pivot ruins the "
     "result; partial pivoting makes it stable in practice. Triangular solves, determinants and inverses "
     "follow, Cholesky is the symmetric positive definite case, and the work grows like n³.",
     ("linalg",)),
    ("B8", "Part I: Linear algebra", "Eigendecomposition",
     "Power iteration converges at the rate |λ₂/λ₁|; inverse and Rayleigh-quotient iterations find "
     "other eigenpairs faster. The practical algorithm reduces to Hessenberg form and runs shifted QR "
     "steps. Applications: the stationary distribution of a Markov chain, PageRank and the matrix "
     "exponential.",
     ("linalg",)),
    ("B9", "Part I: Linear algebra", "Symmetric matrices",
     "A real symmetric matrix has real eigenvalues and an orthonormal eigenbasis (the spectral theorem). "
     "Courant–Fischer characterises eigenvalues as extremes of the Rayleigh quotient; Weyl's inequality "
     "bounds how far they move under a perturbation. Principal component analysis is the spectral "
     "theorem applied to a covariance matrix.",
     ("linalg",)),
    ("B10", "Part I: Linear algebra", "Singular value decomposition",
     "Every matrix is a rotation, a scaling and another rotation. Truncating the SVD gives the best "
     "low-rank approximation in spectral and Frobenius norm (Eckart–Young–Mirsky); the pseudoinverse and "
     "the condition number come from it, and randomized sketches compute it fast for large matrices.",
     ("linalg",)),
    ("B11", "Part II: Calculus and optimization", "Matrix calculus",
     "Gradients, Jacobians and Hessians of functions of vectors and matrices; forward mode pushes "
     "tangents, reverse mode pulls cotangents. Standard identities (quadratic forms, traces, log-det, the "
     "softmax Jacobian) are checked against finite differences, and Taylor remainders shrink at the "
     "orders the theory predicts.",
     ("autodiff",)),
    ("B12", "Part II: Calculus and optimization", "Optimization",
     "First-order methods and their rates: gradient descent, heavy-ball momentum, Nesterov acceleration, "
     "the adaptive methods AdaGrad, RMSProp, Adam and AdamW; Newton's method and its quadratic "
     "convergence; Armijo backtracking; constrained problems through Lagrange multipliers and KKT "
     "conditions.",
     ("optim",)),
    ("B13", "Part III: Probability and information", "Probability",
     "Random variables, Bayes' rule and the Gaussian family, which is closed under affine maps, "
     "marginals and conditioning. Densities transform by the change-of-variables formula. The law of "
     "large numbers and the central limit theorem explain why Monte Carlo error falls like 1/√n; maximum "
     "likelihood fits models, and inverse-CDF and Box–Muller turn uniforms into samples.",
     ("prob",)),
    ("B14", "Part III: Probability and information", "Entropy and KL divergence",
     "Entropy measures uncertainty, cross-entropy the cost of coding with the wrong model, and the KL "
     "divergence their difference: never negative, not symmetric, zero only for equal distributions. "
     "Chain rules, mutual information and the closed form for Gaussians follow; maximum likelihood is "
     "KL minimisation.",
     ("prob",)),
    ("B15", "Part III: Probability and information", "ELBO, variational inference, latent variables",
     "The log-evidence splits into the evidence lower bound plus the KL gap to the true posterior. "
     "EM raises the likelihood of a Gaussian mixture at every step, coordinate-ascent VI raises the "
     "ELBO, and gradients of expectations are estimated by the reparameterisation or the score-function "
     "trick. The variational autoencoder puts these together.",
     ("vi",)),
    ("B16", "Part III: Probability and information", "Bellman equations",
     "A Markov decision process, the value of a policy as the solution of a linear system, and the "
     "Bellman operators, which are γ-contractions. Value iteration and policy iteration compute the "
     "optimal values; TD(0) and Q-learning learn them from sampled transitions.",
     ("rl",)),
    ("B17", "Part IV: Scores, dynamics, diffusion", "Score functions and energy-based models",
     "The score ∇log p does not depend on the normalising constant, which makes energy-based models "
     "trainable. Stein's identity, Hyvärinen score matching and its denoising and sliced variants fit "
     "scores from data; Tweedie's formula turns a denoiser into a posterior mean; contrastive divergence "
     "trains energies with short Markov chains.",
     ("score",)),
    ("B18", "Part IV: Scores, dynamics, diffusion", "Langevin dynamics and sampling",
     "Discretising the Langevin diffusion gives ULA, whose stationary law is biased by an amount "
     "proportional to the step; a Metropolis–Hastings correction (MALA) removes the bias. Stochastic "
     "gradients give SGLD and a ladder of noise levels annealed Langevin. Effective sample size, R-hat "
     "and Monte Carlo standard errors tell whether the chains can be trusted.",
     ("sampling",)),
    ("B19", "Part IV: Scores, dynamics, diffusion", "SDEs and Itô calculus",
     "Brownian motion has quadratic variation t, so stochastic integrals depend on where the integrand "
     "is evaluated: Itô and Stratonovich differ. Itô's lemma and isometry, closed forms of geometric "
     "Brownian motion and the Ornstein–Uhlenbeck process, and the Euler–Maruyama and Milstein schemes "
     "with their strong and weak orders of convergence.",
     ("sde",)),
    ("B20", "Part IV: Scores, dynamics, diffusion", "Continuous limits of algorithms",
     "Small-step optimisers follow differential equations: gradient descent is Euler's method for the "
     "gradient flow (and follows a modified equation to higher order), momentum methods follow "
     "second-order ODEs, Nesterov's with damping 3/t, SGD behaves like an SDE with a computable "
     "stationary variance, and residual networks are Euler steps.",
     ("limits",)),
    ("B21", "Part IV: Scores, dynamics, diffusion", "Fokker–Planck equations and diffusion models",
     "The density of an SDE solves the Fokker–Planck equation, conserves mass, relaxes to the Gibbs "
     "density and lowers a free energy on the way. Reversing time needs the score, which gives the "
     "reverse SDE and the probability-flow ODE: the basis of diffusion models, which learn the score by "
     "denoising and sample by integrating backwards from noise.",
     ("fokker_planck", "diffusion")),
]

CHAPTERS: dict[str, Chapter] = {
    cid: Chapter(cid, _A if cid.startswith("A") else _B, part, title, summary, topics)
    for cid, part, title, summary, topics in _ROWS
}

TOPICS: dict[str, str] = {
    "linalg": "Linear algebra from scratch",
    "autodiff": "Automatic differentiation",
    "optim": "Optimization algorithms",
    "nn": "Neural networks",
    "learn": "Classical learning: regression, SVM, kernels",
    "data": "Data sets and samplers",
    "prob": "Probability and information",
    "vi": "Variational inference",
    "rl": "Bellman equations and reinforcement learning",
    "score": "Scores and energy-based models",
    "sampling": "Langevin dynamics and MCMC",
    "sde": "Stochastic differential equations",
    "limits": "Continuous limits of algorithms",
    "fokker_planck": "Fokker–Planck equations",
    "diffusion": "Diffusion models",
}


def chapter_sort_key(cid: str) -> tuple[str, int, str]:
    """Sort ``A1 < A2 < … < A11 < B1 < … < B21``; unknown ids go last in text order."""
    m = re.fullmatch(r"([AB])(\d+)", cid)
    if m:
        return (m.group(1), int(m.group(2)), "")
    return ("~", 0, cid)


def chapter(cid: str) -> Chapter:
    """The chapter with id ``cid``; ``KeyError`` naming the known ids otherwise."""
    try:
        return CHAPTERS[cid]
    except KeyError:
        raise KeyError(f"unknown chapter {cid!r}; chapters are A1–A11 and B1–B21") from None


_CURRICULUM_LINE = re.compile(r"Curriculum\s*:\s*([^\n]*)")
_RANGE = re.compile(r"\b([AB])(\d{1,2})\s*(?:[–—-]|to)\s*(?:\1)?(\d{1,2})\b")
_SINGLE = re.compile(r"\b([AB])(\d{1,2})\b")


def parse_chapters(text: str | None) -> list[str]:
    """Chapter ids named on the ``Curriculum:`` line of a docstring (ranges ``B1–B10`` expanded).

    >>> parse_chapters("Norms.\\n\\n    Curriculum: B2 (inner products), A7–A9.")
    ['A7', 'A8', 'A9', 'B2']
    >>> parse_chapters("no curriculum line")
    []
    """
    if not text:
        return []
    found: set[str] = set()
    for line in _CURRICULUM_LINE.findall(text):
        spans = []
        for m in _RANGE.finditer(line):
            lo, hi = sorted((int(m.group(2)), int(m.group(3))))
            found.update(f"{m.group(1)}{i}" for i in range(lo, hi + 1))
            spans.append(m.span())
        for m in _SINGLE.finditer(line):
            if not any(a <= m.start() < b for a, b in spans):
                found.add(f"{m.group(1)}{int(m.group(2))}")
    return sorted((c for c in found if c in CHAPTERS), key=chapter_sort_key)
