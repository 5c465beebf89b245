import type { CreateLocation } from '../network/index.ts';

/**
 * The demo network of Harbor & Pine, an apparel and home brand: three distribution centres that
 * ship to the whole country and nine stores in real retail streets. Coordinates are the street
 * addresses'; time zones are the cities'.
 */
export const demoDistributionCenters: CreateLocation[] = [
  {
    code: 'DC-SEC',
    type: 'distribution_center',
    name: 'Secaucus Distribution Center',
    address: { line1: '400 Castle Rd', city: 'Secaucus', region: 'NJ', postal_code: '07094', country: 'US' },
    latitude: 40.7984,
    longitude: -74.0716,
    timezone: 'America/New_York',
    capabilities: ['ship', 'returns'],
    daily_capacity: 6000,
    cutoff_time: '17:00',
    priority: 10,
  },
  {
    code: 'DC-RNO',
    type: 'distribution_center',
    name: 'Reno Distribution Center',
    address: { line1: '4855 Longley Ln', city: 'Reno', region: 'NV', postal_code: '89502', country: 'US' },
    latitude: 39.4886,
    longitude: -119.7693,
    timezone: 'America/Los_Angeles',
    capabilities: ['ship', 'returns'],
    daily_capacity: 4500,
    cutoff_time: '16:00',
    priority: 10,
  },
  {
    code: 'DC-DAL',
    type: 'distribution_center',
    name: 'Dallas Distribution Center',
    address: { line1: '4100 Mountain Creek Pkwy', city: 'Dallas', region: 'TX', postal_code: '75236', country: 'US' },
    latitude: 32.6735,
    longitude: -96.9561,
    timezone: 'America/Chicago',
    capabilities: ['ship', 'returns'],
    daily_capacity: 3500,
    cutoff_time: '16:30',
    priority: 8,
  },
];

const omnichannel: CreateLocation['capabilities'] = ['ship', 'pickup', 'curbside', 'returns'];

export const demoStores: CreateLocation[] = [
  {
    code: 'NYC-SOHO',
    type: 'store',
    name: 'Harbor & Pine SoHo',
    address: { line1: '568 Broadway', city: 'New York', region: 'NY', postal_code: '10012', country: 'US' },
    latitude: 40.7245,
    longitude: -73.9976,
    timezone: 'America/New_York',
    capabilities: ['ship', 'pickup', 'returns'], // no curbside on Broadway
    daily_capacity: 180,
    cutoff_time: '15:00',
    priority: 5,
  },
  {
    code: 'BOS-NEWBURY',
    type: 'store',
    name: 'Harbor & Pine Newbury Street',
    address: { line1: '200 Newbury St', city: 'Boston', region: 'MA', postal_code: '02116', country: 'US' },
    latitude: 42.3502,
    longitude: -71.0787,
    timezone: 'America/New_York',
    capabilities: ['pickup', 'returns'], // small back room: no ship-from-store
    daily_capacity: 60,
    cutoff_time: '14:00',
    priority: 2,
  },
  {
    code: 'MIA-DESIGN',
    type: 'store',
    name: 'Harbor & Pine Design District',
    address: { line1: '140 NE 39th St', city: 'Miami', region: 'FL', postal_code: '33137', country: 'US' },
    latitude: 25.8131,
    longitude: -80.1925,
    timezone: 'America/New_York',
    capabilities: omnichannel,
    daily_capacity: 90,
    cutoff_time: '15:00',
    priority: 3,
  },
  {
    code: 'CHI-MICHIGAN',
    type: 'store',
    name: 'Harbor & Pine Michigan Avenue',
    address: { line1: '835 N Michigan Ave', city: 'Chicago', region: 'IL', postal_code: '60611', country: 'US' },
    latitude: 41.8977,
    longitude: -87.624,
    timezone: 'America/Chicago',
    capabilities: omnichannel,
    daily_capacity: 150,
    cutoff_time: '15:00',
    priority: 4,
  },
  {
    code: 'AUS-SOCO',
    type: 'store',
    name: 'Harbor & Pine South Congress',
    address: { line1: '1100 S Congress Ave', city: 'Austin', region: 'TX', postal_code: '78704', country: 'US' },
    latitude: 30.253,
    longitude: -97.7488,
    timezone: 'America/Chicago',
    capabilities: omnichannel,
    daily_capacity: 80,
    cutoff_time: '15:30',
    priority: 2,
  },
  {
    code: 'DEN-CHERRY',
    type: 'store',
    name: 'Harbor & Pine Cherry Creek',
    address: { line1: '3000 E 1st Ave', city: 'Denver', region: 'CO', postal_code: '80206', country: 'US' },
    latitude: 39.7178,
    longitude: -104.9536,
    timezone: 'America/Denver',
    capabilities: omnichannel,
    daily_capacity: 70,
    cutoff_time: '15:00',
    priority: 1,
  },
  {
    code: 'LA-MELROSE',
    type: 'store',
    name: 'Harbor & Pine Melrose',
    address: { line1: '7950 Melrose Ave', city: 'Los Angeles', region: 'CA', postal_code: '90046', country: 'US' },
    latitude: 34.0837,
    longitude: -118.3618,
    timezone: 'America/Los_Angeles',
    capabilities: omnichannel,
    daily_capacity: 160,
    cutoff_time: '15:00',
    priority: 4,
  },
  {
    code: 'SF-UNION',
    type: 'store',
    name: 'Harbor & Pine Union Square',
    address: { line1: '2 Stockton St', city: 'San Francisco', region: 'CA', postal_code: '94108', country: 'US' },
    latitude: 37.7856,
    longitude: -122.4064,
    timezone: 'America/Los_Angeles',
    capabilities: ['ship', 'pickup', 'returns'], // no curbside on Stockton Street
    daily_capacity: 120,
    cutoff_time: '14:30',
    priority: 3,
  },
  {
    code: 'SEA-PIKE',
    type: 'store',
    name: 'Harbor & Pine Downtown Seattle',
    address: { line1: '1500 6th Ave', city: 'Seattle', region: 'WA', postal_code: '98101', country: 'US' },
    latitude: 47.6113,
    longitude: -122.3353,
    timezone: 'America/Los_Angeles',
    capabilities: omnichannel,
    daily_capacity: 100,
    cutoff_time: '15:00',
    priority: 2,
  },
];

/** Location groups by code: which locations each channel may sell from. */
export const demoGroups = [
  { code: 'ALL', name: 'All locations', members: 'all' },
  { code: 'DCS', name: 'Distribution centres', members: 'distribution_centers' },
] as const;

export const demoChannels = [
  { code: 'web', name: 'Harbor & Pine web store', type: 'web', group: 'ALL' },
  { code: 'marketplace', name: 'Marketplace (US)', type: 'marketplace', group: 'DCS' },
] as const;
