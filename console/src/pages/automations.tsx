import { useState } from 'react';
import { automations, describeTrigger, type Field, type Rule } from '../api/automations.ts';
import { useSession } from '../session.tsx';
import { Badge, Card, Empty, ErrorNotice, Loading, Page, Table } from '../ui/common.tsx';
import { useLoad } from '../ui/load.ts';
import { RuleForm } from './automations/rule-form.tsx';
import { DryRunCard, ExecutionsCard } from './automations/runs.tsx';
import { RuleVersions } from './automations/versions.tsx';

/**
 * Automation rules: each rule with the version that runs, and, for the chosen rule, its history
 * and a form for its next version; a form for a new rule. Rules are read and saved through
 * `/v1/automations` (docs/automations.md).
 */
export default function AutomationsPage() {
  const { api, can } = useSession();
  const rules = useLoad(() => automations(api).list(), [api]);
  const fields = useLoad(() => automations(api).fields(), [api]);
  const [chosen, setChosen] = useState<string | 'new'>();
  if (rules.error) return <ErrorNotice error={rules.error} />;
  if (!rules.data) return <Loading />;
  const rule = rules.data.data.find((r) => r.id === chosen);
  const saved = (id: string) => {
    setChosen(id);
    rules.reload();
  };
  return (
    <Page
      title="Automations"
      actions={
        can('automations:configure') ? (
          <button type="button" onClick={() => setChosen('new')}>
            New rule
          </button>
        ) : null
      }
    >
      <Card title="Rules">
        <RuleList rules={rules.data.data} onChoose={setChosen} />
      </Card>
      {chosen === 'new' ? (
        <RuleForm key="new" fields={fields.data?.data ?? []} onSaved={saved} />
      ) : rule ? (
        <RuleDetail key={rule.id} rule={rule} fields={fields.data?.data ?? []} onChanged={saved} />
      ) : null}
    </Page>
  );
}

function RuleList({ rules, onChoose }: { rules: Rule[]; onChoose: (id: string) => void }) {
  if (rules.length === 0) return <Empty>No automation rules yet.</Empty>;
  return (
    <Table label="Automation rules">
      <thead>
        <tr>
          <th scope="col">Rule</th>
          <th scope="col">Runs</th>
          <th scope="col">When</th>
          <th scope="col">Versions</th>
        </tr>
      </thead>
      <tbody>
        {rules.map((r) => {
          const latest = r.versions[0];
          const active = r.versions.find((v) => v.version === r.active_version);
          return (
            <tr key={r.id} data-rule={r.id}>
              <td>
                <button type="button" className="link" onClick={() => onChoose(r.id)}>
                  {r.name}
                </button>
              </td>
              <td>
                {active ? <Badge status="active" label={`version ${active.version}`} /> : <Badge status="inactive" />}
              </td>
              <td>{latest ? describeTrigger((active ?? latest).trigger) : ''}</td>
              <td>{r.versions.length}</td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

function RuleDetail({ rule, fields, onChanged }: { rule: Rule; fields: Field[]; onChanged: (id: string) => void }) {
  const { can } = useSession();
  return (
    <>
      <Card title={rule.name}>
        <RuleVersions rule={rule} onChanged={() => onChanged(rule.id)} />
      </Card>
      <DryRunCard rule={rule} />
      <ExecutionsCard rule={rule} />
      {can('automations:configure') ? <RuleForm rule={rule} fields={fields} onSaved={onChanged} /> : null}
    </>
  );
}
