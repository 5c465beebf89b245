import { useState } from 'react';
import { notifications, type Template } from '../api/notifications.ts';
import { useSession } from '../session.tsx';
import { Badge, Card, ErrorNotice, Loading, Page, Table } from '../ui/common.tsx';
import { formatDateTime, humanize } from '../ui/format.ts';
import { useLoad } from '../ui/load.ts';
import { Outbox } from './notifications/outbox.tsx';
import { TemplateEditor } from './notifications/template-editor.tsx';

/**
 * Customer notifications: the outbox of messages (filtered and paged in the URL, resending a dead
 * or sent one) and the templates they are rendered with — which are built in and which edited,
 * and for the chosen one an editor with a preview, saving and a reset to the built-in template.
 * Everything goes through `/v1/notifications` and `/v1/notification-templates` (docs/notifications.md).
 */
export default function NotificationsPage() {
  const { api } = useSession();
  const templates = useLoad(() => notifications(api).templates(), [api]);
  const [chosen, setChosen] = useState<string>();
  const template = templates.data?.data.find((t) => `${t.kind}/${t.locale}` === chosen);
  return (
    <Page title="Notifications">
      <Outbox />
      <Card title="Templates" id="templates">
        <ErrorNotice error={templates.error} />
        {templates.data ? (
          <TemplateList templates={templates.data.data} onChoose={setChosen} />
        ) : templates.error ? null : (
          <Loading />
        )}
      </Card>
      {template && templates.data ? (
        <TemplateEditor
          key={chosen}
          template={template}
          fields={templates.data.fields}
          onChanged={templates.reload}
          onClose={() => setChosen(undefined)}
        />
      ) : null}
    </Page>
  );
}

const channelNames: Record<string, string> = { all: 'every channel', email: 'e-mail', sms: 'text', push: 'push' };

function TemplateList({ templates, onChoose }: { templates: Template[]; onChoose: (key: string) => void }) {
  return (
    <Table label="Notification templates">
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col">Locale</th>
          <th scope="col">Transactional</th>
          <th scope="col">In use</th>
          <th scope="col">Edited</th>
        </tr>
      </thead>
      <tbody>
        {templates.map((t) => {
          const latest = t.edited
            .map((e) => e.updated_at ?? '')
            .sort()
            .at(-1);
          return (
            <tr key={`${t.kind}/${t.locale}`} data-template={`${t.kind}/${t.locale}`}>
              <td>
                <button
                  type="button"
                  className="link"
                  aria-label={`Edit ${humanize(t.kind)} (${t.locale})`}
                  onClick={() => onChoose(`${t.kind}/${t.locale}`)}
                >
                  {humanize(t.kind)}
                </button>
              </td>
              <td>{t.locale}</td>
              <td>{t.transactional ? 'yes' : 'no (customers may opt out)'}</td>
              <td>
                {t.edited.length ? (
                  <Badge
                    status="edited"
                    label={`Edited: ${t.edited.map((e) => channelNames[e.channel] ?? e.channel).join(', ')}`}
                  />
                ) : (
                  <Badge status="built_in" label="Built-in" />
                )}
              </td>
              <td>{latest ? formatDateTime(latest) : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
