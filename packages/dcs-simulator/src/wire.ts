/**
 * The JSON shapes the simulator sends, in the key order a DCS server uses. Kept here (not
 * imported from the client) so that the simulator depends on nothing but Node.
 */

export interface WireRegister {
  id: number;
  address: number;
  isInstantaneous: boolean;
  name: string;
  scaleFactor: string;
  defaultScaleFactor: string;
  unit: string;
}

export interface WireMeter {
  id: number;
  name: string;
  connectionMethod: 'tcp' | 'modem' | 'idc';
  deviceId: number;
  meterType: string;
  remoteAddress: string;
  serialNumber: string;
  mpn?: string;
  service?: string;
  status: 'online' | 'offline' | 'disabled' | 'unknown';
  registers: WireRegister[];
}

export interface WireRegisterAlias {
  alias: string;
  registerId: number;
  registerName: string;
}

export interface WireVirtualMeter {
  id: number;
  name: string;
  expression: string;
  decimalPlaces: number;
  isInstantaneous: boolean;
  unit: string;
  registerAliases: WireRegisterAlias[];
}
