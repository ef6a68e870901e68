/**
 * What the detections' own metrics share: the namespace their metric filters publish to (the
 * walkthrough's ping filter keeps its own, Lab-VPC-Flow-Log-Ping) and the alarms' 5-minute period.
 */
export const DETECTIONS_NAMESPACE = "Lab-VPC-Flow-Log-Detections";

/** The period of the alarms that count over a window (SSH/RDP, SKIPDATA share, port scan, silence). */
export const DETECTION_PERIOD_SECONDS = 300;
