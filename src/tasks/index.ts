export { taskRoutes } from './routes.ts';
export { createTask } from './create-task.ts';
