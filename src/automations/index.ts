export { automationRoutes } from './routes.ts';
export { createAutomationWorker, startAutomationWorker } from './worker.ts';
