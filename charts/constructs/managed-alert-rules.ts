import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { labelsOf } from '../labels.ts';
import { type AlertRule, type Rule, ruleFile } from '../observability/prometheus-config.ts';
import { ruleOptions, type Values } from '../values.ts';
import { APP_NAME } from './app-workload.ts';

export interface ManagedAlertRulesProps {
  values: Values;
}

/** ACK's prometheusservice controller: a rules file in an Amazon Managed Service for Prometheus workspace. */
export const ACK_RULE_GROUPS = { apiVersion: 'prometheusservice.services.k8s.aws/v1alpha1', kind: 'RuleGroupsNamespace' } as const;
/** Azure Service Operator: a Microsoft.AlertsManagement/prometheusRuleGroups resource on an Azure Monitor workspace. */
export const ASO_RULE_GROUP = { apiVersion: 'alertsmanagement.azure.com/v1api20230301', kind: 'PrometheusRuleGroup' } as const;

/** Azure Monitor alert severities: 0 critical … 4 verbose. */
const AZURE_SEVERITY: Record<AlertRule['labels']['severity'], number> = { page: 1, ticket: 2, info: 3 };

/** Prometheus durations (`5m`) as the ISO 8601 durations Azure's rule groups take (`PT5M`). */
function isoDuration(duration: string): string {
  const match = /^(\d+)([smh])$/.exec(duration);
  if (!match) throw new Error(`not a Prometheus duration: ${duration}`);
  return `PT${match[1]}${match[2]!.toUpperCase()}`;
}

/**
 * The runbooks' alert rules, shipped to the managed Prometheus each cloud evaluates them in, as an
 * object in the namespace that the cloud's Kubernetes operator reconciles (ACK on EKS, Azure Service
 * Operator on AKS): `kubectl apply` of the one file installs the alerts with the app. Same expressions,
 * from the same source as the in-cluster rules.
 */
export class ManagedAlertRules extends Construct {
  constructor(scope: Construct, id: string, { values }: ManagedAlertRulesProps) {
    super(scope, id);
    const metadata = { name: APP_NAME, namespace: values.namespace, labels: labelsOf({ name: APP_NAME, component: 'alerts' }) };
    const { workspace, resourceGroupId, location, clusterName } = values.observability.ruleGroups;
    if (values.exposure.type === 'alb') {
      new ApiObject(this, 'amp', {
        ...ACK_RULE_GROUPS,
        metadata,
        spec: { name: APP_NAME, workspaceID: workspace, configuration: stringify(ruleFile(ruleOptions(values))) },
      });
    }
    if (values.exposure.type === 'azureAppRouting') {
      new ApiObject(this, 'azure-monitor', {
        ...ASO_RULE_GROUP,
        metadata,
        spec: {
          location,
          owner: { armId: resourceGroupId },
          scopesReferences: [{ armId: workspace }],
          clusterName,
          enabled: true,
          interval: 'PT1M',
          // One group, evaluated in order: the SLIs recorded first, then the alerts that read them.
          rules: ruleFile(ruleOptions(values)).groups.flatMap((group) => group.rules.map(azureRule)),
        },
      });
    }
  }
}

function azureRule(rule: Rule) {
  if ('record' in rule) return { record: rule.record, expression: rule.expr, labels: rule.labels, enabled: true };
  return {
    alert: rule.alert,
    expression: rule.expr,
    ...(rule.for === '0m' ? {} : { for: isoDuration(rule.for) }),
    severity: AZURE_SEVERITY[rule.labels.severity],
    labels: rule.labels,
    annotations: rule.annotations,
    enabled: true,
  };
}
