export { seedDemo, demoSize, DEMO_SEEDED_KEY } from './seed.ts';
export type { DemoSummary, SeedDemoOptions, SeedDemoOutcome, SeedPhase, SeedProgress } from './seed.ts';
export { demoChannels, demoDistributionCenters, demoGroups, demoStores } from './locations.ts';
export { demoProducts } from './products.ts';
export { generateDemoStock, seededRandom, DEMO_STOCK_SEED } from './stock.ts';
export { planDemoOrders, demoOrderInput, DEMO_ORDER_COUNT, DEMO_ORDERS_SEED, DEMO_HISTORY_DAYS } from './orders.ts';
export type { DemoOrderPlan, DemoFate } from './orders.ts';
