export { orderRoutes } from './routes.ts';
export { placeOrder } from './place-order.ts';
export { getOrder } from './read-order.ts';
export type { OrderView } from './read-order.ts';
export { routeOrder } from './route-order.ts';
export { cancelOrder, cancellationPolicy } from './cancel-order.ts';
export { holdForPayment, holdOrder, releaseHold } from './holds.ts';
export { noteOrder, tagOrder } from './tags.ts';
export { refreshOrderStatus } from './refresh-status.ts';
export { releaseKit, releaseKitPartStock, reservedKitParts, shipKitPart } from './kit-allocations.ts';
export type { KitPart } from './kit-allocations.ts';
export { deliverShipmentUnits, shipAllocationUnits, shipLineUnits, unplaceUnits } from './allocation-units.ts';
export {
  fulfillmentTransitions,
  fulfillmentStatuses,
  canTransitionFulfillment,
  illegalMove,
  loadFulfillmentOrder,
  onHoldRefusal,
  transitionFulfillment,
  transitionFulfillmentOrders,
} from './fulfillment-transitions.ts';
export type { FulfillmentOrderRow, FulfillmentStatus } from './fulfillment-transitions.ts';
export { receiveReturnedUnits, refundLineUnits, releaseRequestedUnits, requestReturnUnits } from './return-units.ts';
export { deriveOrderStatus, orderStatuses, orderTransitions, canTransitionOrder } from './status.ts';
export type { OrderStatus } from './status.ts';
export { rerouteBackorders, serveBackorders, startBackorderWorker } from './backorders.ts';
export { listOrders } from './list-orders.ts';
export { listReturns, presentReturn, returnLinesOf } from './order-returns.ts';
export type { ReturnFilter, ReturnRow } from './order-returns.ts';
export type { OrderFilter } from './list-orders.ts';
export { validateOrder } from './validate-order.ts';
export { CreateOrder, Customer, MAX_AMOUNT, Money, ShippingAddress } from './schemas.ts';
export { answerReleaseRequests } from './changes/release-requests.ts';
export { changeById as getOrderChange } from './changes/read-change.ts';
export type { ChangeAction } from './changes/schemas.ts';
export { rerouteOrder } from './reroute-order.ts';
export { planRequest, toCandidate } from './plan-order.ts';
export { preorderOpen } from './routing-inputs.ts';
export type { CandidateRow, OpenLine, OrderForRouting } from './routing-inputs.ts';
export { insertImportedOrders } from './import-orders.ts';
export type { ImportedFulfillment, ImportedLine, ImportedOrder } from './import-orders.ts';
export { destinationOf } from './destination.ts';
