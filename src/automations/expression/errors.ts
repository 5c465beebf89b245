/** An error in a condition: what is wrong and the zero-based offset in the text where it is. */
export interface ExpressionError {
  position: number;
  message: string;
}

export const expressionError = (position: number, message: string): ExpressionError => ({ position, message });
