// cluster-key-slot (the CRC16 slot function ioredis itself uses) ships no types.
declare module 'cluster-key-slot' {
  /** The Redis Cluster slot (0–16383) of a key, honouring {hash tags}. */
  function clusterKeySlot (key: string | Buffer): number
  export default clusterKeySlot
}
