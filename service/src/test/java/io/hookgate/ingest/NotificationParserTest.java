package io.hookgate.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookgate.event.CallRef;
import io.hookgate.event.EventKind;
import io.hookgate.testing.AirudderPayloads;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotificationParserTest {

    private final NotificationParser parser = new NotificationParser();

    @Test
    void seedPayloadIsACallCompletionWithItsSearchFields() throws Exception {
        Notification n = parser.parse(AirudderPayloads.bytes(AirudderPayloads.seed()), Optional.empty());
        assertThat(n.kind()).isEqualTo(EventKind.CALL_COMPLETION);
        assertThat(n.workflowId()).isEqualTo("16e0660e6cxxxxxxxxxxxxxxxx0abfe0e191");
        assertThat(n.taskId()).isEqualTo(AirudderPayloads.SEED_TASK_ID);
        assertThat(n.sign()).isEqualTo("a395ce1acxxxxxxxx7bab53f5");
        assertThat(n.calls()).containsExactly(new CallRef(AirudderPayloads.SEED_CALL_ID, AirudderPayloads.SEED_CASE_ID, AirudderPayloads.SEED_CALLEE,
            List.of(AirudderPayloads.SEED_REDIAL_CALL_ID)));
        assertThat(n.callCount()).isEqualTo(1);
    }

    @Test
    void eachCallKeepsTheCallIdsOfItsRedialsAndNothingElseOfThem() throws Exception {
        ObjectNode payload = AirudderPayloads.seed();
        ArrayNode redials = ((ObjectNode) payload.withArray("Details").get(0)).putArray("RedailCall");
        redials.addObject().put("CallID", "redial-1").put("callee_number", "+8601");
        redials.addObject().put("ResultLabel", "F"); // no CallID: nothing to search by
        redials.add("not an object");
        redials.addObject().put("CallID", "redial-2");
        redials.addObject().put("CallID", "redial-1"); // listed twice: kept once
        ObjectNode second = payload.withArray("Details").addObject();
        second.put("CallID", "call-2").put("RedailCall", "not an array");
        ObjectNode third = payload.withArray("Details").addObject();
        ArrayNode many = third.put("CallID", "call-3").putArray("RedailCall");
        for (int i = 0; i < NotificationParser.MAX_REDIALS_PER_CALL + 5; i++) {
            many.addObject().put("CallID", "r" + i);
        }

        Notification n = parser.parse(AirudderPayloads.bytes(payload), Optional.empty());

        assertThat(n.calls().get(0).redialCallIds()).containsExactly("redial-1", "redial-2");
        assertThat(n.calls().get(1).redialCallIds()).isEmpty();
        assertThat(n.calls().get(2).redialCallIds()).hasSize(NotificationParser.MAX_REDIALS_PER_CALL).startsWith("r0", "r1");
    }

    @Test
    void everyDetailsEntryIsACall() throws Exception {
        ObjectNode payload = AirudderPayloads.seed();
        ObjectNode second = payload.withArray("Details").addObject();
        second.put("CallID", "call-2").put("CaseID", "case-2").put("CalleeNumber", "+100");
        Notification n = parser.parse(AirudderPayloads.bytes(payload), Optional.empty());
        assertThat(n.calls()).extracting(CallRef::callId).containsExactly(AirudderPayloads.SEED_CALL_ID, "call-2");
        assertThat(n.callCount()).isEqualTo(2);
    }

    @Test
    void kindsAreDetectedFromTheirShape() throws Exception {
        assertThat(kindOf("{\"workflow_id\":\"w\",\"workflow_name\":\"n\",\"status\":\"finished\",\"actions\":[]}")).isEqualTo(EventKind.WORKFLOW_STATUS);
        assertThat(kindOf("{\"workflow_id\":\"w\",\"case_id\":\"c\",\"callee_number\":\"+1\",\"rows\":[]}")).isEqualTo(EventKind.LIST_COMPLETION);
        assertThat(kindOf("{\"workflow_id\":\"w\",\"node_id\":\"n\",\"callee\":{\"case_id\":\"c\"}}")).isEqualTo(EventKind.CUSTOM_API_PUSH);
        assertThat(kindOf("{\"workflow_id\":\"w\",\"waba_task_id\":\"t\",\"session_end_reason\":\"timeout\"}")).isEqualTo(EventKind.CHATBOT_SESSION_END);
        assertThat(kindOf("{\"workflow_id\":\"w\",\"waba_task_id\":\"t\",\"message_status\":\"read\"}")).isEqualTo(EventKind.WABA_STATUS);
        assertThat(kindOf("{\"something\":\"else\"}")).isEqualTo(EventKind.UNKNOWN);
    }

    @Test
    void listCompletionIsSearchableByCaseAndCallee() throws Exception {
        Notification n = parser.parse(utf8("{\"workflow_id\":\"w\",\"case_id\":\"c-9\",\"callee_number\":\"+62\",\"rows\":[]}"), Optional.empty());
        assertThat(n.calls()).containsExactly(new CallRef(null, "c-9", "+62"));
    }

    @Test
    void pathSuffixDecidesTheKind() throws Exception {
        Notification n = parser.parse(AirudderPayloads.bytes(AirudderPayloads.seed()), Optional.of(EventKind.INFO_CHECK));
        assertThat(n.kind()).isEqualTo(EventKind.INFO_CHECK);
    }

    @Test
    void aCallCompletionUnderTheSuffixOfAnUnsignedKindIsRefusedRatherThanKeptUnsigned() {
        ObjectNode forged = AirudderPayloads.seed();
        forged.put("Sign", "0".repeat(32)).put("status", "finished").put("node_id", "n");
        for (EventKind unsigned : new EventKind[] {EventKind.WORKFLOW_STATUS, EventKind.CUSTOM_API_PUSH, EventKind.LIST_COMPLETION}) {
            assertThatThrownBy(() -> parser.parse(AirudderPayloads.bytes(forged), Optional.of(unsigned)))
                .isInstanceOfSatisfying(RejectedNotification.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectionReason.KIND_MISMATCH);
                    assertThat(e.getMessage()).contains("/" + unsigned.wireName());
                    assertThat(e.taskId()).contains(AirudderPayloads.SEED_TASK_ID);
                });
        }
        ObjectNode unsignedDetails = AirudderPayloads.seed();
        unsignedDetails.remove("Sign");
        unsignedDetails.remove("TaskID");
        assertThatThrownBy(() -> parser.parse(AirudderPayloads.bytes(unsignedDetails), Optional.of(EventKind.CHATBOT_SESSION_END)))
            .as("calls in Details without a Sign").isInstanceOfSatisfying(RejectedNotification.class,
                e -> assertThat(e.reason()).isEqualTo(RejectionReason.KIND_MISMATCH));
    }

    @Test
    void missingFieldsAreNamed() {
        ObjectNode noSign = AirudderPayloads.seed();
        noSign.remove("Sign");
        assertRejected(AirudderPayloads.bytes(noSign), RejectionReason.MISSING_FIELD, "Sign");

        ObjectNode noCallId = AirudderPayloads.seed();
        ((ObjectNode) noCallId.withArray("Details").get(0)).remove("CallID");
        assertRejected(AirudderPayloads.bytes(noCallId), RejectionReason.MISSING_FIELD, "Details[0].CallID");

        ObjectNode detailsNotArray = AirudderPayloads.seed();
        detailsNotArray.put("Details", "nope");
        assertRejected(AirudderPayloads.bytes(detailsNotArray), RejectionReason.MISSING_FIELD, "Details");

        ObjectNode taskIdNumber = AirudderPayloads.seed();
        taskIdNumber.put("TaskID", 42);
        assertRejected(AirudderPayloads.bytes(taskIdNumber), RejectionReason.MISSING_FIELD, "TaskID");
    }

    @Test
    void aRefusalNamesTheTaskIdWhenTheBodyWasReadFarEnoughToHaveOne() {
        ObjectNode noSign = AirudderPayloads.seed();
        noSign.remove("Sign");
        assertThatThrownBy(() -> parser.parse(AirudderPayloads.bytes(noSign), Optional.empty()))
            .isInstanceOfSatisfying(RejectedNotification.class, e -> assertThat(e.taskId()).contains(AirudderPayloads.SEED_TASK_ID));
        assertThatThrownBy(() -> parser.parse(utf8("{\"TaskID\": \"abc\", "), Optional.empty()))
            .isInstanceOfSatisfying(RejectedNotification.class, e -> assertThat(e.taskId()).isEmpty());
    }

    @Test
    void malformedBodiesAreInvalidJson() {
        assertRejected(new byte[0], RejectionReason.INVALID_JSON, "empty");
        assertRejected(utf8("{\"TaskID\": "), RejectionReason.INVALID_JSON, "not valid JSON");
        assertRejected(utf8("[1,2,3]"), RejectionReason.INVALID_JSON, "JSON object");
        assertRejected(utf8("{} {}"), RejectionReason.INVALID_JSON, "not valid JSON");
        assertRejected(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, RejectionReason.INVALID_JSON, "UTF-8");
        assertRejected(utf8("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}"), RejectionReason.INVALID_JSON, "nesting");
    }

    @Test
    void aBodyBeyondTheParsersLimitsIsToldWhichLimitInTheSendersTerms() {
        assertRejected(utf8("{\"a\":" + "[".repeat(201) + "]".repeat(201) + "}"), RejectionReason.INVALID_JSON,
            "nesting deeper than 200 levels");
        assertRejected(utf8("{\"a\":" + "9".repeat(1001) + "}"), RejectionReason.INVALID_JSON, "a number longer than 1000 characters");
        assertThatThrownBy(() -> parser.parse(utf8("{\"a\":" + "[".repeat(201) + "]".repeat(201) + "}"), Optional.empty()))
            .hasMessageNotContaining("StreamReadConstraints");
    }

    @Test
    void aFieldNamedTwiceIsRefusedWithItsName() {
        String seed = new String(AirudderPayloads.bytes(AirudderPayloads.seed()), StandardCharsets.UTF_8);
        String twoTaskIds = seed.replaceFirst("\\{", "{\"TaskID\": \"0000000000000000000000000000beef\",");
        assertRejected(utf8(twoTaskIds), RejectionReason.INVALID_JSON, "duplicate field 'TaskID'");
        assertRejected(utf8("{\"TaskID\":\"a\",\"Sign\":\"b\",\"Details\":[{\"CallID\":\"1\",\"CallID\":\"2\"}]}"),
            RejectionReason.INVALID_JSON, "duplicate field 'CallID'");
    }

    @Test
    void aFieldNamedTwiceInAPartThatIsNotReadIsRefusedToo() {
        assertRejected(utf8("{\"TaskID\":\"a\",\"Sign\":\"b\",\"Details\":[{\"CallID\":\"1\",\"Extra\":[{\"k\":{\"x\":1,\"x\":2}}]}]}"),
            RejectionReason.INVALID_JSON, "duplicate field 'x'");
        assertRejected(utf8("{\"unread\":{\"deep\":{\"y\":true}},\"other\":{\"deep\":1,\"deep\":2}}"),
            RejectionReason.INVALID_JSON, "duplicate field 'deep'");
    }

    @Test
    void aFieldNamedTwiceAmongHundredsIsRefused() throws RejectedNotification {
        StringBuilder many = new StringBuilder("{\"workflow_id\":\"w\",\"status\":\"done\",\"actions\":[]");
        for (int i = 0; i < 500; i++) {
            many.append(",\"f").append(i).append("\":").append(i);
        }
        assertThat(parser.parse(utf8(many + "}"), Optional.empty()).kind()).isEqualTo(EventKind.WORKFLOW_STATUS);
        assertRejected(utf8(many + ",\"f321\":0}"), RejectionReason.INVALID_JSON, "duplicate field 'f321'");
        assertRejected(utf8(many + ",\"f7\":0}"), RejectionReason.INVALID_JSON, "duplicate field 'f7'");
    }

    @Test
    void theSameNameInSeparateObjectsIsNoRepeat() throws RejectedNotification {
        Notification n = parser.parse(utf8("{\"TaskID\":\"a\",\"Sign\":\"b\",\"Details\":[{\"CallID\":\"1\",\"TaskID\":{\"CallID\":2}},"
            + "{\"CallID\":\"3\",\"Sign\":[{\"Sign\":1},{\"Sign\":2}]}]}"), Optional.empty());
        assertThat(n.calls()).extracting(CallRef::callId).containsExactly("1", "3");
    }

    @Test
    void aBodyInUtf16IsNotReadAsJson() {
        // valid UTF-8 byte for byte (NULs and ASCII), and a parser that guesses encodings would read it as UTF-16
        byte[] utf16 = "{\"TaskID\":\"a\",\"Sign\":\"b\",\"Details\":[{\"CallID\":\"1\"}]}".getBytes(StandardCharsets.UTF_16BE);
        assertRejected(utf16, RejectionReason.INVALID_JSON, "NUL byte");
    }

    @Test
    void numericSearchValuesKeepTheirTextAsWritten() throws Exception {
        Notification n = parser.parse(utf8("{\"TaskID\":\"t\",\"Sign\":\"s\",\"Details\":[{\"CallID\":12345678901234567890123,"
            + "\"CaseID\":7777777.10,\"CalleeNumber\":true}]}"), Optional.empty());
        assertThat(n.calls()).containsExactly(new CallRef("12345678901234567890123", "7777777.10", "true"));
    }

    @Test
    void fieldsNestedDeeperAreNotTakenForTopLevelOnes() throws Exception {
        Notification n = parser.parse(utf8("{\"workflow_id\":\"w\",\"status\":\"done\",\"actions\":[{\"TaskID\":\"inner\"}],"
            + "\"meta\":{\"Details\":[{\"CallID\":\"x\"}]}}"), Optional.empty());
        assertThat(n.kind()).isEqualTo(EventKind.WORKFLOW_STATUS);
        assertThat(n.taskId()).isNull();
        assertThat(n.calls()).isEmpty();
    }

    @Test
    void hugeSearchValuesAreCutToAnIndexableLength() throws Exception {
        ObjectNode payload = AirudderPayloads.seed();
        ((ObjectNode) payload.withArray("Details").get(0)).put("CallID", "x".repeat(100_000));
        Notification n = parser.parse(AirudderPayloads.bytes(payload), Optional.empty());
        assertThat(n.calls().get(0).callId()).hasSize(NotificationParser.MAX_FIELD_CHARS);
    }

    private EventKind kindOf(String json) throws RejectedNotification {
        return parser.parse(utf8(json), Optional.empty()).kind();
    }

    private void assertRejected(byte[] body, RejectionReason reason, String messagePart) {
        assertThatThrownBy(() -> parser.parse(body, Optional.empty()))
            .isInstanceOfSatisfying(RejectedNotification.class, e -> {
                assertThat(e.reason()).isEqualTo(reason);
                assertThat(e.getMessage()).containsIgnoringCase(messagePart);
            });
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
