import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { Construct } from "constructs";
import { dashboardBody, type DashboardTargets } from "../monitoring/dashboard";

export interface LabDashboardProps {
  readonly dashboardName: string;
  /** What it shows (monitoring/dashboard.ts). */
  readonly targets: DashboardTargets;
}

/** The lab's CloudWatch dashboard: detections' alarms and metrics, top contributors, top talkers. */
export class LabDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: LabDashboardProps) {
    super(scope, id);
    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: props.dashboardName,
      dashboardBody: dashboardBody(props.targets),
    });
  }
}
