package org.lovoccs.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The S3 event notification JSON as MinIO publishes it to Kafka ({@code EventName}, {@code Key},
 * {@code Records[]} in the AWS S3 event structure). Object keys inside records are URL-encoded, as
 * MinIO and AWS send them; {@link Record#objectKey()} decodes them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record S3EventNotification(@JsonProperty("EventName") String eventName, @JsonProperty("Key") String key,
                                  @JsonProperty("Records") List<Record> records) {

    public static final String OBJECT_CREATED_PUT = "s3:ObjectCreated:Put";

    /** The notification our bucket watcher publishes for an object found in the landing bucket. */
    public static S3EventNotification objectCreated(String bucket, String key, long size, String eTag, Instant when) {
        String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
        Record r = new Record("2.0", "lovoccs:watcher", "", when.toString(), OBJECT_CREATED_PUT,
                new S3("1.0", "lovoccs-landing-watcher", new Bucket(bucket, "arn:aws:s3:::" + bucket),
                        new S3Object(encoded, size, eTag, Long.toHexString(when.toEpochMilli()))));
        return new S3EventNotification(OBJECT_CREATED_PUT, bucket + "/" + key, List.of(r));
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Record(String eventVersion, String eventSource, String awsRegion, String eventTime,
                         String eventName, S3 s3) {
        public String bucketName() {
            return s3.bucket().name();
        }

        public String objectKey() {
            return URLDecoder.decode(s3.object().key(), StandardCharsets.UTF_8);
        }

        public boolean isObjectCreated() {
            return eventName != null && eventName.startsWith("s3:ObjectCreated:");
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record S3(String s3SchemaVersion, String configurationId, Bucket bucket, S3Object object) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Bucket(String name, String arn) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record S3Object(String key, Long size, String eTag, String sequencer) {
    }
}
