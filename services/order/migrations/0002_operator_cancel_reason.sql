-- An operator cancelling a customer's order is recorded as such (operator_cancelled).
ALTER TABLE orders
  DROP CONSTRAINT orders_cancel_reason_check,
  ADD CONSTRAINT orders_cancel_reason_check
    CHECK (cancel_reason IN ('out_of_stock', 'insufficient_funds', 'payment_failed', 'customer_cancelled',
                             'operator_cancelled'));
