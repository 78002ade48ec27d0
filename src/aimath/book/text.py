"""Docstring text for the book: inline reStructuredText roles as HTML, light LaTeX as Unicode.

Docstring summaries use ````code````, ``:math:`…```, ``:func:`…``` and friends. The book has no
JavaScript (no MathJax), so inline maths is shown in Unicode where a macro has an obvious symbol
and as plain text otherwise. Everything is HTML-escaped *before* any tag is added, so text from
code can never inject markup.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

__all__ = ["latex_to_unicode", "inline_rst"]

_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    "top": "ᵀ", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈",
    "cdot": "·", "times": "×", "infty": "∞", "sum": "Σ", "prod": "Π", "int": "∫", "nabla": "∇",
    "partial": "∂", "in": "∈", "notin": "∉", "to": "→", "rightarrow": "→", "mapsto": "↦", "leftarrow": "←",
    "langle": "⟨", "rangle": "⟩", "lVert": "‖", "rVert": "‖", "Vert": "‖", "|": "‖", "lvert": "|",
    "rvert": "|", "sqrt": "√", "pm": "±", "odot": "⊙", "otimes": "⊗", "oplus": "⊕", "circ": "∘",
    "mid": "|", "sim": "∼", "propto": "∝", "forall": "∀", "exists": "∃", "subset": "⊂", "subseteq": "⊆",
    "cup": "∪", "cap": "∩", "emptyset": "∅", "ell": "ℓ", "succeq": "⪰", "preceq": "⪯", "dots": "…",
    "ldots": "…", "cdots": "⋯", "log": "log", "exp": "exp", "det": "det", "tr": "tr", "min": "min",
    "max": "max", "sin": "sin", "cos": "cos", "tanh": "tanh", "arg": "arg", "mathbb{R}": "ℝ",
    "mathbb{E}": "𝔼", "mathbb{N}": "ℕ", "mathbb{Z}": "ℤ", "mathbb{P}": "ℙ", "mathbb{1}": "𝟙",
}
_SPACES = {",": " ", ";": " ", ":": " ", "!": "", " ": " ", "quad": "  ", "qquad": "   "}


_SUP_FROM, _SUB_FROM = "0123456789+-=()nikTtaeoxhjlmprsw", "0123456789+-=()ijkntaeoxhlmpsruv"
_SUPER = str.maketrans(_SUP_FROM, "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵏᵀᵗᵃᵉᵒˣʰʲˡᵐᵖʳˢʷ")
_SUB = str.maketrans(_SUB_FROM, "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ᵢⱼₖₙₜₐₑₒₓₕₗₘₚₛᵣᵤᵥ")


def _script(body: str, sup: bool) -> str:
    """``x^{body}``/``x_{body}`` as Unicode super/subscripts when every character has one."""
    src, table, marker = (_SUP_FROM, _SUPER, "^") if sup else (_SUB_FROM, _SUB, "_")
    done = "".join(chr(v) for v in table.values())
    if body and all(c in src or c in done for c in body):
        return body.translate(table)
    return f"{marker}({body})" if len(body) > 1 else f"{marker}{body}"


def latex_to_unicode(s: str) -> str:
    r"""A readable Unicode rendering of simple inline LaTeX.

    >>> latex_to_unicode(r"\bar x^\top W y \le \|x\|_2")
    'x̄ᵀ W y ≤ ‖x‖₂'
    >>> latex_to_unicode(r"\sqrt{n}\,\|x\|_\infty")
    '√(n) ‖x‖_∞'
    >>> latex_to_unicode(r"\frac{1}{2} x^2")
    '(1)/(2) x²'
    """
    s = re.sub(r"\\mathbb\{(\w)\}", lambda m: _SYMBOLS.get(f"mathbb{{{m.group(1)}}}", m.group(1)), s)
    s = re.sub(r"\\(?:operatorname|mathrm|mathbf|mathcal|text|textrm|boldsymbol|mathit)\{([^{}]*)\}", r"\1", s)
    s = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"(\1)/(\2)", s)
    s = re.sub(r"\\sqrt\{([^{}]*)\}", r"√(\1)", s)
    s = re.sub(r"\\(?:bar|overline)\s*\{?(\w)\}?", lambda m: m.group(1) + "\u0304", s)
    s = re.sub(r"\\(?:hat|widehat)\s*\{?(\w)\}?", lambda m: m.group(1) + "\u0302", s)
    s = re.sub(r"\\tilde\s*\{?(\w)\}?", lambda m: m.group(1) + "\u0303", s)
    s = re.sub(r"\\(?:left|right|big|Big|bigg|Bigg)(?![A-Za-z])", "", s)
    s = re.sub(r"\\([A-Za-z]+|[|,;:! ])", lambda m: _SPACES.get(m.group(1), _SYMBOLS.get(m.group(1), m.group(1))), s)
    s = re.sub(r"\^\{([^{}]*)\}|\^(\S)", lambda m: _script(m.group(1) or m.group(2), True), s)
    s = re.sub(r"_\{([^{}]*)\}|_(\S)", lambda m: _script(m.group(1) or m.group(2), False), s)
    return s.replace("{", "").replace("}", "")


_ROLE = re.compile(r":(?:func|class|meth|mod|attr|data|obj|exc|ref|py:\w+):`~?([^`]+)`")


def inline_rst(text: str) -> Markup:
    """HTML for a line of docstring text: roles as ``<code>``, inline maths as Unicode.

    >>> str(inline_rst("Clamp ``x`` to :math:`[a, b]`; see :func:`aimath.clip` <b>"))
    'Clamp <code>x</code> to <span class="math">[a, b]</span>; see <code>aimath.clip</code> &lt;b&gt;'
    """
    parts = []
    pos = 0
    pattern = re.compile(r"``(.+?)``|:math:`([^`]+)`|" + _ROLE.pattern + r"|`([^`]+)`")
    for m in pattern.finditer(text):
        parts.append(escape(text[pos:m.start()]))
        code, math, role, plain = m.groups()
        if code is not None:
            parts.append(Markup("<code>{}</code>").format(code))
        elif math is not None:
            parts.append(Markup('<span class="math">{}</span>').format(latex_to_unicode(math)))
        elif role is not None:
            parts.append(Markup("<code>{}</code>").format(role))
        else:
            parts.append(Markup("<em>{}</em>").format(plain))
        pos = m.end()
    parts.append(escape(text[pos:]))
    return Markup("").join(parts)
