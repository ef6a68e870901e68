/**
 * What the emulator run cannot prove, each with its reason; the README's list is checked against this
 * one (__tests__/e2e/emulator-gaps.test.ts). Operations moto lacks but that can be answered from its own
 * state are filled in e2e/moto_gaps.py instead; CloudWatch's CBOR protocol is adapted in e2e/moto_cbor.py.
 */

/** moto's account id for the test credentials. */
export const EMULATOR_ACCOUNT = "123456789012";

export interface EmulatorGap {
  /** What is not proven against the emulator. */
  readonly what: string;
  readonly why: string;
}

export const EMULATOR_GAPS: readonly EmulatorGap[] = [
  {
    what: "Flow-log delivery, metric filter evaluation, alarm state changes, e-mail notification, Athena queries",
    why: 'moto stores the configuration but runs no data plane; the offline engine runs the deployed definitions instead (npm run e2e, "deployed is proven")',
  },
  {
    what: "IAM policy enforcement",
    why: "moto checks actions against `*` resources only; every recorded call is judged by an IAM policy simulator instead",
  },
  {
    what: "TLS-only bucket policies (aws:SecureTransport)",
    why: "moto applies a policy's Deny without its conditions, so the stacks leave the TLS-only statement out in emulator mode (LAB_AWS_ENDPOINT)",
  },
];
