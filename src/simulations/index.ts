/**
 * Routing simulations: the orders of a period replayed under draft rules and the active ones,
 * with stock rebuilt from the ledger, reported as figures, deltas and the orders that would
 * change — without touching live stock.
 */
export { simulationRoutes } from './routes.ts';
export { startSimulationWorker } from './worker.ts';
export { claimSimulation, createSimulation, getSimulation, listChanges, resolveParameters } from './jobs.ts';
export type { Simulation, SimulationParameters, SimulationRequest } from './jobs.ts';
export { runSimulation, simulationResult } from './run.ts';
export { loadOrderSetInputs, loadSimulationInputs } from './inputs.ts';
export { createOrderSet, getOrderSet, MAX_SET_ORDERS } from './order-sets.ts';
export type { OrderSet, OrderSetUpload, SetReportEntry } from './order-sets.ts';
export type { SimulationInputs } from './inputs.ts';
export { replay } from './replay.ts';
export type { RuleSet, StockBasis } from './replay.ts';
export { SimulationReport } from './report.ts';
