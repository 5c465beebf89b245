export { createNotifier, startNotifier } from './notifier.ts';
export type { Notifier } from './notifier.ts';
export { notificationRoutes } from './routes.ts';
export { notificationTemplateRoutes } from './template-routes.ts';
export { notificationTemplateNames, requestNotification } from './request.ts';
export { sendEmail } from './smtp.ts';
