/** What the demo's customers pay and who they are: prices per product family, people and places. */

/** Unit price in US cents per product family (the second part of the SKU: `HP-TEE-NVY-M`). */
export const familyPriceMinor: Readonly<Record<string, number>> = {
  TEE: 2800,
  HOOD: 6800,
  SHRT: 5400,
  JEAN: 8900,
  VEST: 7400,
  SOCK: 1400,
  BEAN: 2600,
  TOTE: 3200,
  SHEETQ: 12900,
  SHEETK: 14900,
  TOWEL: 3900,
  THROW: 9800,
  CNDL: 3400,
  MUG: 2200,
  CUSH: 3600,
  BOARD: 7800,
  VASE: 4600,
};

export const demoCustomerNames: readonly string[] = [
  'Ava Thompson',
  'Liam Carter',
  'Olivia Nguyen',
  'Noah Patel',
  'Emma Rodriguez',
  'Mason Kim',
  'Sophia Williams',
  'Ethan Brooks',
  'Isabella Chen',
  'Lucas Rivera',
  'Mia Johnson',
  'James Okafor',
  'Charlotte Davis',
  'Benjamin Lee',
  'Amelia Garcia',
  'Henry Walker',
  'Harper Martinez',
  'Alexander Scott',
  'Evelyn Murphy',
  'Daniel Cohen',
  'Abigail Turner',
  'Samuel Hughes',
  'Emily Foster',
  'Jack Sullivan',
];

export interface DemoAddress {
  line1: string;
  city: string;
  region: string;
  postal_code: string;
  latitude: number;
  longitude: number;
}

export const demoAddresses: readonly DemoAddress[] = [
  {
    line1: '210 W 77th St',
    city: 'New York',
    region: 'NY',
    postal_code: '10024',
    latitude: 40.7826,
    longitude: -73.9797,
  },
  {
    line1: '85 Pierrepont St',
    city: 'Brooklyn',
    region: 'NY',
    postal_code: '11201',
    latitude: 40.6952,
    longitude: -73.9937,
  },
  { line1: '19 Beacon St', city: 'Boston', region: 'MA', postal_code: '02108', latitude: 42.3577, longitude: -71.0621 },
  {
    line1: '1600 N Wells St',
    city: 'Chicago',
    region: 'IL',
    postal_code: '60614',
    latitude: 41.9115,
    longitude: -87.6346,
  },
  {
    line1: '2400 Lake Austin Blvd',
    city: 'Austin',
    region: 'TX',
    postal_code: '78703',
    latitude: 30.2841,
    longitude: -97.7775,
  },
  {
    line1: '455 Hayes St',
    city: 'San Francisco',
    region: 'CA',
    postal_code: '94102',
    latitude: 37.7766,
    longitude: -122.4245,
  },
  {
    line1: '1201 2nd Ave',
    city: 'Seattle',
    region: 'WA',
    postal_code: '98101',
    latitude: 47.6073,
    longitude: -122.3372,
  },
  {
    line1: '3300 Peachtree Rd',
    city: 'Atlanta',
    region: 'GA',
    postal_code: '30326',
    latitude: 33.8467,
    longitude: -84.3662,
  },
  {
    line1: '1500 Market St',
    city: 'Denver',
    region: 'CO',
    postal_code: '80202',
    latitude: 39.7489,
    longitude: -104.9991,
  },
  {
    line1: '701 S Broadway',
    city: 'Los Angeles',
    region: 'CA',
    postal_code: '90014',
    latitude: 34.0444,
    longitude: -118.2529,
  },
];
