// The parts of the Firebase web SDK SyncLens uses, in one module so the bundles can load them as
// one separate file (dist/firebase.js, scripts/build.mjs): only a sync command pays for parsing
// ~3 MB of SDK. One module, not one per package: firestore and auth register themselves with the
// copy of firebase/app they were bundled with.
export * as appSdk from 'firebase/app';
export * as firestoreSdk from 'firebase/firestore';
export * as authSdk from 'firebase/auth';
