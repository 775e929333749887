// The few protobuf messages the Firestore Android SDK stores its pending writes in, declared from
// their public field numbers and parsed by protobufjs (no hand-written wire decoding):
// - firestore.client.WriteBatch: firebase/firebase-android-sdk
//   firebase-firestore/src/proto/google/firebase/firestore/proto/mutation.proto (commit 20152fe7)
// - google.firestore.v1 Write, DocumentTransform, Document, Value, DocumentMask, Precondition:
//   the same repository's firebase-firestore/src/proto/google/firestore/v1/{write,document,common}.proto
//   (write.proto at commit 4a9203f5)
// The fixture generator (tests/fixtures/queues) encodes with the same definitions.
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
`;

let root: protobuf.Root | null = null;

/** One Root for the process: parsing the definitions is done once. */
export function firestoreSdkProtos(): protobuf.Root {
  if (!root) {
    const parsed = new protobuf.Root();
    for (const text of [definitions, typeDefinitions, firestoreDefinitions, clientDefinitions]) {
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
