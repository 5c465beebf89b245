import { formatMinor } from '../ui/format.ts';

/** The weights the rules form sets with sliders (the others stay as they are; see the JSON). */
export interface SliderWeights {
  /** Per km. */
  distance: number;
  /** Per minor unit of freight. */
  cost: number;
  /** Per point of a location's priority. */
  priority: number;
}

const km = (value: number) => `${Math.round(value).toLocaleString('en-US')} km`;

/** What one point of store priority is worth, in km or freight. */
function prioritySentence(weights: SliderWeights, currency: string): string {
  if (weights.priority === 0) return ' Store priority is ignored.';
  const worth: string[] = [];
  if (weights.distance > 0) worth.push(km(weights.priority / weights.distance));
  if (weights.cost > 0) worth.push(formatMinor(Math.round(weights.priority / weights.cost), currency));
  return worth.length === 0
    ? ' Only store priority separates locations that have everything.'
    : ` One point of store priority is worth ${worth.join(' or ')}.`;
}

/**
 * The effect of the proximity, freight and priority weights in a sentence a manager can check:
 * "Distance counts most: an order goes to the nearest location that has everything, unless one
 * 100 km farther is more than $2.00 cheaper." Distance counts per km and freight per minor unit,
 * so their ratio says how much freight 100 km are worth.
 */
export function weightsSentence(weights: SliderWeights, currency: string): string {
  const { distance, cost } = weights;
  const hundredKm = distance > 0 && cost > 0 ? formatMinor(Math.round((100 * distance) / cost), currency) : '';
  let head: string;
  if (distance === 0 && cost === 0) {
    head = 'Neither distance nor freight counts: locations that have everything are told apart by the other weights.';
  } else if (cost === 0) {
    head = 'Only distance counts: an order goes to the nearest location that has everything, whatever the freight.';
  } else if (distance === 0) {
    head = 'Only freight counts: an order goes to the cheapest location that has everything, however far.';
  } else if (distance > cost) {
    head = `Distance counts most: an order goes to the nearest location that has everything, unless one 100 km farther is more than ${hundredKm} cheaper.`;
  } else if (cost > distance) {
    head = `Freight counts most: an order goes to the cheapest location that has everything, unless one ${formatMinor(100, currency)} dearer is more than ${km((100 * cost) / distance)} nearer.`;
  } else {
    head = `Distance and freight count alike: 100 km farther is worth ${hundredKm} of freight.`;
  }
  return head + prioritySentence(weights, currency);
}
