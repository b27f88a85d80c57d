// jstat ships no types: only the functions qmfg uses are declared (src/core/spc).
declare module 'jstat' {
  interface JStat {
    /** ln Γ(x) */
    gammaln(x: number): number;
    chisquare: {
      /** quantile: x with P(χ²_dof ≤ x) = p */
      inv(p: number, dof: number): number;
      cdf(x: number, dof: number): number;
    };
    normal: {
      /** quantile of N(mean, sd) */
      inv(p: number, mean: number, sd: number): number;
      cdf(x: number, mean: number, sd: number): number;
    };
  }
  const jStat: JStat;
  export default jStat;
}
