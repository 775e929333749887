// The few protobuf messages the Firestore Android SDK stores its pending writes in, declared from
// their public field numbers and parsed by protobufjs (no hand-written wire decoding):
// - firestore.client.WriteBatch: firebase/firebase-android-sdk
//   firebase-firestore/src/proto/google/firebase/firestore/proto/mutation.proto (commit 20152fe7)
// - google.firestore.v1 Write, DocumentTransform, Document, Value, DocumentMask, Precondition:
//   the same repository's firebase-firestore/src/proto/google/firestore/v1/{write,document,common}.proto
//   (write.proto at commit 4a9203f5)
// - firestore.client.MaybeDocument / NoDocument / UnknownDocument (remote_documents.contents):
//   firebase-firestore/src/proto/google/firebase/firestore/proto/maybe_document.proto (commit 98a917fa)
// - firestore.client.Target (targets.target_proto): .../firebase/firestore/proto/target.proto
//   (commit 20833d68), holding google.firestore.v1.Target's QueryTarget / DocumentsTarget
//   (google/firestore/v1/firestore.proto, commit 0d1c1752) and the StructuredQuery fields SyncLens
//   shows (from, order_by, limit; google/firestore/v1/query.proto, commit 1179bbb4). The query's
//   filters and cursors are not declared: protobufjs skips them, and the row's canonical_id names them.
// - document_overlays.overlay_mutation is a google.firestore.v1.Write
//   (SQLiteDocumentOverlayCache.java, commit 061e1c88: Write.parseFrom).
// The fixture generators (tests/unit/queues/fixtures.ts, sample-workspace/firestoreSdkCache.ts)
// encode with the same definitions.
import protobuf from 'protobufjs';

const definitions = `
syntax = "proto3";

package google.protobuf;
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
enum NullValue { NULL_VALUE = 0; }
`;

const typeDefinitions = `
syntax = "proto3";
package google.type;
message LatLng { double latitude = 1; double longitude = 2; }
`;

const wrapperDefinitions = `
syntax = "proto3";
package google.protobuf;
message Int32Value { int32 value = 1; }
`;

const firestoreDefinitions = `
syntax = "proto3";
package google.firestore.v1;

message Value {
  oneof value_type {
    google.protobuf.NullValue null_value = 11;
    bool boolean_value = 1;
    int64 integer_value = 2;
    double double_value = 3;
    google.protobuf.Timestamp timestamp_value = 10;
    string string_value = 17;
    bytes bytes_value = 18;
    string reference_value = 5;
    google.type.LatLng geo_point_value = 8;
    ArrayValue array_value = 9;
    MapValue map_value = 6;
  }
}
message ArrayValue { repeated Value values = 1; }
message MapValue { map<string, Value> fields = 1; }

message Document {
  string name = 1;
  map<string, Value> fields = 2;
  google.protobuf.Timestamp create_time = 3;
  google.protobuf.Timestamp update_time = 4;
}

message DocumentMask { repeated string field_paths = 1; }

message Precondition {
  oneof condition_type {
    bool exists = 1;
    google.protobuf.Timestamp update_time = 2;
  }
}

message DocumentTransform {
  message FieldTransform {
    enum ServerValue { SERVER_VALUE_UNSPECIFIED = 0; REQUEST_TIME = 1; }
    string field_path = 1;
    oneof transform_type {
      ServerValue set_to_server_value = 2;
      Value increment = 3;
      Value maximum = 4;
      Value minimum = 5;
      ArrayValue append_missing_elements = 6;
      ArrayValue remove_all_from_array = 7;
    }
  }
  string document = 1;
  repeated FieldTransform field_transforms = 2;
}

message Write {
  oneof operation {
    Document update = 1;
    string delete = 2;
    string verify = 5;
    DocumentTransform transform = 6;
  }
  DocumentMask update_mask = 3;
  repeated DocumentTransform.FieldTransform update_transforms = 7;
  Precondition current_document = 4;
}

message StructuredQuery {
  message CollectionSelector { string collection_id = 2; bool all_descendants = 3; }
  message FieldReference { string field_path = 2; }
  enum Direction { DIRECTION_UNSPECIFIED = 0; ASCENDING = 1; DESCENDING = 2; }
  message Order { FieldReference field = 1; Direction direction = 2; }
  repeated CollectionSelector from = 2;
  repeated Order order_by = 4;
  google.protobuf.Int32Value limit = 5;
}

message Target {
  message DocumentsTarget { repeated string documents = 2; }
  message QueryTarget {
    string parent = 1;
    oneof query_type { StructuredQuery structured_query = 2; }
  }
}
`;

const clientDefinitions = `
syntax = "proto3";
package firestore.client;

message WriteBatch {
  int32 batch_id = 1;
  repeated google.firestore.v1.Write writes = 2;
  google.protobuf.Timestamp local_write_time = 3;
  repeated google.firestore.v1.Write base_writes = 4;
}

message NoDocument { string name = 1; google.protobuf.Timestamp read_time = 2; }
message UnknownDocument { string name = 1; google.protobuf.Timestamp version = 2; }
message MaybeDocument {
  oneof document_type {
    NoDocument no_document = 1;
    google.firestore.v1.Document document = 2;
    UnknownDocument unknown_document = 3;
  }
  bool has_committed_mutations = 4;
}

message Target {
  int32 target_id = 1;
  google.protobuf.Timestamp snapshot_version = 2;
  bytes resume_token = 3;
  int64 last_listen_sequence_number = 4;
  oneof target_type {
    google.firestore.v1.Target.QueryTarget query = 5;
    google.firestore.v1.Target.DocumentsTarget documents = 6;
  }
  bool synced = 7;
}
`;

let root: protobuf.Root | null = null;

/** One Root for the process: parsing the definitions is done once. */
export function firestoreSdkProtos(): protobuf.Root {
  if (!root) {
    const parsed = new protobuf.Root();
    for (const text of [definitions, wrapperDefinitions, typeDefinitions, firestoreDefinitions, clientDefinitions]) {
      protobuf.parse(text, parsed, { keepCase: true });
    }
    parsed.resolveAll();
    root = parsed;
  }
  return root;
}

export function writeBatchType(): protobuf.Type {
  return firestoreSdkProtos().lookupType('firestore.client.WriteBatch');
}

export function maybeDocumentType(): protobuf.Type {
  return firestoreSdkProtos().lookupType('firestore.client.MaybeDocument');
}

export function targetType(): protobuf.Type {
  return firestoreSdkProtos().lookupType('firestore.client.Target');
}

export function writeType(): protobuf.Type {
  return firestoreSdkProtos().lookupType('google.firestore.v1.Write');
}
