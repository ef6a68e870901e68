/** Appends the deployment's name suffix, so that two deployments can share one account. */
export function withSuffix(name: string, suffix: string, separator = "-"): string {
  return suffix ? `${name}${separator}${suffix}` : name;
}
