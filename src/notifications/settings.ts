/** What the notifier needs to send (from CONSIGN_SMTP_URL and its companions; see src/config.ts). */
export interface NotificationSettings {
  smtpUrl: string;
  from: string;
  /** SMS and push messages are POSTed here; absent: e-mail only. */
  webhookUrl: string | undefined;
  /** Where customers reach this server: the base of the unsubscribe link; absent: no link. */
  publicUrl: string | undefined;
}
