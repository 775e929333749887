// The parts of the Firebase web SDK SyncLens uses, in one module so the bundles can load them as
// one separate file (dist/firebase.js, scripts/build.mjs): only a sync command pays for parsing
// ~3 MB of SDK. One module, not one per package: firestore and auth register themselves with the
// copy of firebase/app they were bundled with.
// Firestore Lite, not the full SDK: SyncLens reads and writes in bulk and wants every failure
// returned to it. Lite sends each call as one request (no local cache, no listener or write-stream
// machinery, no queue that retries while the server is away), which on the emulator made a bulk
// read ~2x faster at a tenth of the client CPU (bench/replay.ts).
export * as appSdk from 'firebase/app';
export * as firestoreSdk from 'firebase/firestore/lite';
export * as authSdk from 'firebase/auth';
