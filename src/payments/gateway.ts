/**
 * What Consign asks of a payment gateway. Storefronts authorize at checkout; Consign captures
 * what ships, voids what is cancelled and refunds what is given back. Every request carries the
 * caller's idempotency key: the same key with the same request must return the same result,
 * and the same key with another request must be refused. Amounts are integer minor units.
 *
 * Consign calls the gateway inside the transaction that records the outcome (the shipment's,
 * the cancellation's, the refund's). A gateway's answer can therefore outlive a rolled-back
 * transaction; the retry derives the same key from the same records (`capture:<shipment id>`,
 * `void:<authorization id>:<n>`, `refund:<capture id>:<n>`), so the gateway replays its first
 * answer instead of moving money twice.
 */

/** The merchant's order ID travels with every request (gateways keep it as metadata). */
interface GatewayRequest {
  orderReference: string;
  amountMinor: number;
  currency: string;
  idempotencyKey: string;
}

export interface AuthorizeRequest extends GatewayRequest {
  /** A token for the card or wallet (never a raw card number). */
  paymentMethod: string;
}

export interface CaptureRequest extends GatewayRequest {
  /** The gateway's reference of the authorization to capture from. */
  authorizationReference: string;
}

/** Releases (part of) an authorization; gateways without partial reversals release it all. */
export type VoidRequest = CaptureRequest;

export interface RefundRequest extends GatewayRequest {
  /** The gateway's reference of the capture to refund. */
  captureReference: string;
}

/** The outcome of one gateway operation; declines are expected outcomes, not exceptions. */
export type GatewayResult =
  { status: 'succeeded'; reference: string } | { status: 'declined'; code: string; message: string };

/** Asks the gateway about an authorization the storefront says it made (sent with the order). */
export interface VerifyRequest {
  orderReference: string;
  /** The gateway's reference of the authorization, as the order names it (absent when it names none). */
  authorizationReference: string | undefined;
  amountMinor: number;
  currency: string;
}

export interface PaymentGateway {
  readonly name: string;
  /**
   * Confirms an authorization sent with an order (it exists, is live, covers the amount). A
   * gateway without it cannot be asked: its authorizations are kept as sent, marked unverified.
   */
  verify?(request: VerifyRequest): Promise<GatewayResult>;
  authorize(request: AuthorizeRequest): Promise<GatewayResult>;
  capture(request: CaptureRequest): Promise<GatewayResult>;
  void(request: VoidRequest): Promise<GatewayResult>;
  refund(request: RefundRequest): Promise<GatewayResult>;
}

export type GatewayOperation = 'authorize' | 'verify' | 'capture' | 'void' | 'refund';

export const succeeded = (reference: string): GatewayResult => ({ status: 'succeeded', reference });
export const declined = (code: string, message: string): GatewayResult => ({ status: 'declined', code, message });
