-- Returns never take back more than was delivered, and refund only units that came back:
-- units on open returns plus units received back stay within the delivered units of the line.
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_return_buckets_check"
  CHECK ("return_requested" + "returned" <= "delivered" AND "refunded" <= "returned");
