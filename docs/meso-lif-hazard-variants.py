"""Stationary rate of one iaf_psc_exp population under Gaussian input noise, from the
hazard of docs/meso-lif.md (sections 1 to 3), in two variants for coloured noise:
  fb: white-equivalent variance and the Fourcaud-Brunel threshold (what the engine does);
  cg: Chizhov & Graham's (2007) factor 1 - (1 + k)^(-0.71 + 0.0825 (T + 3)), k = tau_m / tau_s,
      on the actual (coloured) variance and the unshifted threshold.
The rate is that of the renewal process the hazard defines: 1 / (t_ref + mean free ISI),
the survival the product over ages of exp(-integrated hazard of the step).
Compared with the micro engine's rates (1000 neurons, 4 s, seeds 100 to 107, commit 06ab1f9)
and the meso engine's (--noise none). Run: /usr/bin/python3 docs/meso-lif-hazard-variants.py
"""
import numpy as np
from scipy.special import erfc

TAU_M, TAU_S, T_REF, V_TH, V_RESET, H = 10.0, 0.5, 2.0, 15.0, 0.0, 0.1  # ms, mV
ALPHA = np.sqrt(2) * 1.4603545088095868  # Fourcaud & Brunel: sqrt(2) |zeta(1/2)|
PEAK_T = -3.4440303171648488


def escape_a(T):
    T = np.maximum(T, PEAK_T)
    return np.exp(0.0061 - 1.12 * T - 0.257 * T**2 - 0.072 * T**3 - 0.0117 * T**4)


def log_below(T):
    T = np.asarray(T, float)
    out = np.zeros_like(T)
    inside = T <= 12
    out[inside] = np.log(0.5 * erfc(-T[inside]))
    return out


def variance_growth(a):
    """f(a): the share of the stationary variance built since the reset (threshold_shift.hpp)."""
    tau_c = 1 / (1 / TAU_M + 1 / TAU_S)
    return (1 - np.exp(-2 * a / TAU_M)
            - 2 * (np.exp(-2 * a / TAU_M) - np.exp(-a / tau_c)) / (TAU_M * (1 / TAU_S - 1 / TAU_M)))


def rate_hz(mu, sigma, variant, longest_isi_ms=30000.0):
    """mu, sigma: mean and white-noise amplitude (Brunel 2000) of the membrane potential, mV."""
    a = np.arange(0, longest_isi_ms, H) + H  # time since the end of the refractory period, step ends
    u = mu + (V_RESET - mu) * np.exp(-a / TAU_M)
    coloured_variance = sigma**2 / 2 * TAU_M / (TAU_M + TAU_S)  # Campbell's, for exponential currents
    if variant == "fb":
        variance = coloured_variance * variance_growth(a) * (TAU_M + TAU_S) / TAU_M
        threshold = V_TH + ALPHA / 2 * sigma * np.sqrt(TAU_S / TAU_M) * (1 - np.exp(-a / TAU_M))
        T = (threshold - u) / np.sqrt(2 * variance)
        A = escape_a(T)
    else:
        variance = coloured_variance * variance_growth(a)
        T = (V_TH - u) / np.sqrt(2 * variance)
        k = TAU_M / TAU_S
        A = escape_a(T) * (1 - (1 + k) ** (-0.71 + 0.0825 * (T + 3)))
    lp = log_below(T)
    lp_start = np.concatenate([[0.0], lp[:-1]])
    T_start = np.concatenate([[np.inf], T[:-1]])
    drift = np.where(T < T_start, np.maximum(0, lp_start - lp), 0.0)
    survival = np.exp(-np.cumsum(H * A / TAU_M + drift))
    survival_before = np.concatenate([[1.0], survival[:-1]])
    return 1000.0 / (T_REF + H * np.sum(survival_before))


MICRO_HZ = {(11, 2): 0.821, (11, 4): 11.10125, (13, 2): 10.29675, (13, 4): 21.801,
            (15, 2): 27.40825, (15, 4): 33.67275, (18, 2): 49.489, (18, 4): 51.06525}
MESO_ENGINE_HZ = {(11, 2): 0.7431, (11, 4): 10.8346, (13, 2): 9.9585, (13, 4): 21.3183,
                  (15, 2): 26.9528, (15, 4): 33.0749, (18, 2): 49.2179, (18, 4): 50.6571}

if __name__ == "__main__":
    print("mu sigma   micro   engine      fb (vs micro)      cg (vs micro)")
    for (mu, sigma), micro in MICRO_HZ.items():
        fb, cg = rate_hz(mu, sigma, "fb"), rate_hz(mu, sigma, "cg")
        print(f"{mu:2d} {sigma:5d} {micro:7.3f} {MESO_ENGINE_HZ[(mu, sigma)]:8.3f} "
              f"{fb:8.3f} ({fb / micro - 1:+.3f}) {cg:8.3f} ({cg / micro - 1:+.3f})")
