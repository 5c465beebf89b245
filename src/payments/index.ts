export { paymentRoutes } from './routes.ts';
export type {
  PaymentGateway,
  GatewayResult,
  AuthorizeRequest,
  CaptureRequest,
  VoidRequest,
  RefundRequest,
} from './gateway.ts';
export { registerGateway, gatewayFor, registeredGateways } from './registry.ts';
export type { GatewayFactory } from './registry.ts';
export { createTestGateway, REFERENCE_TOKENS, TEST_PAYMENT_METHODS } from './test-gateway.ts';
export { captureShipment } from './capture-shipment.ts';
export type { CaptureOutcome } from './capture-shipment.ts';
export { voidAuthorizations } from './void-authorization.ts';
export { refundPayment } from './refund.ts';
export type { RefundInput, RefundOutcome } from './refund.ts';
export { authorizePayment } from './authorize.ts';
export { shipmentCharge, unitsShare } from './capture-amount.ts';
export type { ShipmentCharge, ShippedLine } from './capture-amount.ts';
export { orderMoney, paymentsOfOrder, presentPayment, recordPlacedAuthorizations, refundsOfReturn } from './ledger.ts';
export type { PaymentRow } from './ledger.ts';
export { recordPlatformRefund } from './platform-refund.ts';
export type { PlatformRefundInput, PlatformRefundOutcome } from './platform-refund.ts';
export { checkSentAuthorizations, coveredMinor } from './verify.ts';
export type { CheckedAuthorization, SentAuthorization } from './verify.ts';
export { setTestGateway } from './registry.ts';
export { succeeded, declined } from './gateway.ts';
export type { VerifyRequest } from './gateway.ts';
