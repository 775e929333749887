// The Firestore SDK plan's classifications, apart from the planner (plan.ts) so the webviews'
// protocol (core/protocol/syncModel.ts) names them without the planner's Node imports.

/** apply; remote-newer (changed on the target after the local write); remote-missing (an update of a missing document); already-equal. */
export type SdkPlanClassification = 'apply' | 'remote-newer' | 'remote-missing' | 'already-equal';
