export interface OperationOutcomeIssue {
  severity: 'error' | 'warning' | 'information';
  code:
    | 'invalid'
    | 'structure'
    | 'required'
    | 'value'
    | 'conflict'
    | 'not-found'
    | 'forbidden'
    | 'security'
    | 'exception'
    | 'informational';
  diagnostics: string;
  expression?: string[];
}

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: OperationOutcomeIssue[];
}

export function operationOutcome(issues: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues };
}

/** Canonical field issues -> OperationOutcome issues with FHIRPath expressions where the mapping knows them. */
export function fieldIssues(
  issues: { field: string; reason: string }[],
  paths: Map<string, string>,
  severity: 'error' | 'warning',
): OperationOutcomeIssue[] {
  return issues.map((issue) => {
    const expression = paths.get(issue.field) ?? paths.get(issue.field.split('.')[0] ?? '');
    return {
      severity,
      code: /required/.test(issue.reason) ? 'required' : severity === 'warning' ? 'value' : 'invalid',
      diagnostics: `${issue.field} ${issue.reason}`,
      ...(expression ? { expression: [expression] } : {}),
    };
  });
}
