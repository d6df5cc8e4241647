package io.tally.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.client.Instruction;
import io.tally.client.Keys;
import io.tally.client.Leg;
import io.tally.client.TallyClient;
import io.tally.protocol.keys.SigningKey;
import io.tally.protocol.token.AccessToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The auditors' dashboard in a real browser (Debian's Chromium, headless, driven by Selenium)
 * against the demo network as separate processes: sign-in with the auditor's key file and the
 * genesis, search, the trail of the demo's DvP with its receipt verified in the page, receipts with
 * one changed byte refused at the step {@code tally verify-receipt} refuses them at, every view,
 * and the validators view while two validators are stopped (SIGSTOP). Screenshots of every view go
 * to {@code docs/dashboard/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Path SCREENSHOTS =
      Path.of(System.getProperty("tally.dashboard.screenshots", "../docs/dashboard"));

  private final JsonMapper json = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newHttpClient();
  private final SecureRandom random = new SecureRandom();
  private DemoNetwork demo;
  private WebDriver browser;
  private Path profile;

  @BeforeAll
  void startTheNetworkAndTheBrowser() throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    Path driver = Path.of("/usr/bin/chromedriver");
    assertThat(chromium)
        .as("the dashboard tests drive Debian's Chromium: apt-get install chromium chromium-driver")
        .exists();
    assertThat(driver).as("apt-get install chromium-driver").exists();
    demo = DemoNetwork.start("dashboard");
    profile = Files.createTempDirectory("tally-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toString());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).build();
    browser = new ChromeDriver(service, options);
    browser.manage().window().setSize(new Dimension(1280, 900));
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  void stopTheBrowserAndTheNetwork() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (demo != null) {
      for (String validator : List.of("validator-3", "validator-4")) {
        signal("CONT", demo.pid(validator));
      }
      demo.close();
    }
  }

  @Test
  @Order(1)
  void anAuditorSignsInWithTheirKeyFileAndTheGenesisAndNothingSecretIsSent() throws Exception {
    browser.get(demo.gateway.resolve("/dashboard/#/search").toString());
    awaitView("sign-in");
    browser.findElement(By.id("participant")).sendKeys("auditor-1");
    browser.findElement(By.id("key-file")).sendKeys(keyFile("auditor-1").toString());
    browser
        .findElement(By.id("genesis-file"))
        .sendKeys(demo.dir.resolve("network.json").toAbsolutePath().toString());
    screenshot("sign-in");
    // Back to the view asked for before sign-in.
    navigate(() -> browser.findElement(By.id("sign-in")).click(), "search");
    assertThat(browser.findElement(By.id("signed-in-as")).getText()).contains("auditor-1");
  }

  @Test
  @Order(2)
  void searchFindsTheDvpByParticipantAndTheRefusedPaymentByItsCode() throws Exception {
    open("#/search?participant=bank-b", "search");
    assertThat(rows("#results tr[data-id]"))
        .contains("demo-dvp-1")
        .doesNotContain("demo-overdraw-1");
    screenshot("search");

    WebElement code = browser.findElement(By.cssSelector("#search-form [name=code]"));
    code.clear();
    code.sendKeys("INSUFFICIENT_FUNDS");
    WebElement participant = browser.findElement(By.cssSelector("#search-form [name=participant]"));
    participant.clear();
    navigate(() -> browser.findElement(By.id("search-submit")).click(), "search");
    assertThat(rows("#results tr[data-id]")).containsExactly("demo-overdraw-1");
    assertThat(browser.getCurrentUrl()).contains("code=INSUFFICIENT_FUNDS");
  }

  @Test
  @Order(3)
  void theTrailOfTheDvpShowsBothSignersEveryVoteAndItsReceiptVerifiesGreenInTheBrowser()
      throws Exception {
    open("#/search?id=demo-dvp-1", "search");
    navigate(
        () -> browser.findElement(By.cssSelector("#results tr[data-id='demo-dvp-1'] a")).click(),
        "trail");
    assertThat(browser.findElements(By.cssSelector("#instruction-signers li[data-kid]")))
        .hasSize(2);
    assertThat(rows("#votes tr[data-validator]", "data-validator"))
        .hasSizeGreaterThanOrEqualTo(demo.genesis.validators().threshold());
    assertThat(browser.findElements(By.cssSelector("#certificate-signers li[data-kid]")))
        .hasSize(demo.genesis.validators().threshold());
    assertThat(browser.findElement(By.id("committed-at")).getText()).isNotBlank();
    browser.findElement(By.id("verify-button")).click();
    awaitVerdict();
    assertThat(browser.findElement(By.id("verify-verdict")).getText()).startsWith("VALID");
    List<WebElement> steps = browser.findElements(By.cssSelector("#verify-steps li[data-step]"));
    assertThat(steps).hasSize(9);
    assertThat(steps)
        .allSatisfy(step -> assertThat(step.getAttribute("data-ok")).isEqualTo("true"));
    scrollTo(browser.findElement(By.id("verify-steps")));
    screenshot("trail");

    DemoNetwork.Cli cli = demo.verifyReceipt(demo.dir.resolve("demo-receipt.json"), "--json");
    assertThat(cli.exitCode()).as(cli.output()).isZero();
  }

  /** One changed byte per part; the browser's first red step and reason, and the CLI's reason. */
  @Test
  @Order(4)
  void aReceiptWithOneChangedByteTurnsRedAtTheStepTheCliRefusesItAt() throws Exception {
    String receipt =
        Files.readString(demo.dir.resolve("demo-receipt.json"), StandardCharsets.UTF_8);
    JsonNode parsed = json.readTree(receipt);
    // Inside the first signature of the certificate, inside the first entries proof hash, and
    // inside the record (the instruction as the log carried it): each a middle character.
    String certificate = parsed.get("certificate").asString();
    int from = certificate.indexOf("\"signature\":\"") + "\"signature\":\"".length();
    String signature = certificate.substring(from, certificate.indexOf('"', from));
    String firstProof = parsed.get("entriesProof").get(0).asString();
    String record = parsed.get("record").asString();
    Map<String, String> changed =
        Map.of(
            "certificate",
            receipt.replace(signature, flip(signature, 20)),
            "entries",
            receipt.replace(firstProof, flip(firstProof, 10)),
            "record",
            receipt.replace(record, flip(record, record.length() / 2)));
    Map<String, String> expectedStep =
        Map.of("certificate", "certificate", "entries", "entries", "record", "entries");
    for (Map.Entry<String, String> part : changed.entrySet()) {
      assertThat(part.getValue()).as(part.getKey()).isNotEqualTo(receipt);
      Path file = demo.dir.resolve("changed-" + part.getKey() + ".json");
      Files.writeString(file, part.getValue(), StandardCharsets.UTF_8);
      DemoNetwork.Cli cli = demo.verifyReceipt(file, "--json");
      assertThat(cli.exitCode()).as(cli.output()).isEqualTo(1);
      String cliReason = json.readTree(cli.output()).get("reason").asString();

      open("#/verify", "verify");
      browser.findElement(By.id("receipt-file")).sendKeys(file.toAbsolutePath().toString());
      browser.findElement(By.id("verify-file-button")).click();
      awaitVerdict();
      String verdict = browser.findElement(By.id("verify-verdict")).getText();
      WebElement red = browser.findElement(By.cssSelector("#verify-steps li[data-ok='false']"));
      assertThat(verdict).as(part.getKey()).isEqualTo("INVALID " + cliReason);
      assertThat(red.getAttribute("data-step"))
          .as(part.getKey())
          .isEqualTo(expectedStep.get(part.getKey()));
      assertThat(browser.findElements(By.cssSelector("#verify-steps li[data-ok='false']")))
          .hasSize(1);
      if (part.getKey().equals("certificate")) {
        scrollTo(red);
        screenshot("verify-invalid");
      }
    }
  }

  @Test
  @Order(5)
  void theChainTheBalanceSheetGovernanceAndChartsRenderFromTheLedger() throws Exception {
    open("#/blocks", "blocks");
    List<WebElement> blocks = browser.findElements(By.cssSelector("#blocks tr[data-height]"));
    assertThat(blocks).isNotEmpty();
    assertThat(blocks).allSatisfy(b -> assertThat(b.getAttribute("data-linked")).isEqualTo("true"));
    screenshot("blocks");

    String height = blocks.get(0).getAttribute("data-height");
    open("#/blocks/" + height, "block");
    assertThat(rows("#votes tr[data-validator]", "data-validator")).isNotEmpty();
    screenshot("block");

    open("#/balance-sheet", "balance-sheet");
    assertThat(browser.findElement(By.id("conservation")).getAttribute("data-balanced"))
        .isEqualTo("true");
    assertThat(rows("#balance-sheet tr[data-asset]", "data-asset")).contains("EUR", "BOND");
    screenshot("balance-sheet");

    open("#/governance", "governance");
    assertThat(rows("#governance tr[data-id]"))
        .contains("demo-register-auditor-1", "demo-asset-eur");
    screenshot("governance");

    open("#/charts", "charts");
    assertThat(browser.findElements(By.cssSelector("figure figcaption"))).hasSize(3);
    screenshot("charts");

    browser.manage().window().setSize(new Dimension(768, 1024));
    open("#/search?participant=bank-a", "search");
    screenshot("search-tablet");
    browser.manage().window().setSize(new Dimension(1280, 900));
  }

  @Test
  @Order(5)
  void everyFormFieldHasALabelAndTheKeyboardReachesTheViewsFromTheSkipLink() {
    for (String[] view :
        new String[][] {{"#/search", "search"}, {"#/verify", "verify"}, {"#/sign-in", "sign-in"}}) {
      open(view[0], view[1]);
      for (WebElement field : browser.findElements(By.cssSelector("main input, main select"))) {
        String id = field.getAttribute("id");
        boolean labelled =
            !browser.findElements(By.cssSelector("label[for='" + id + "']")).isEmpty()
                || field.getAttribute("aria-label") != null;
        assertThat(labelled).as("%s: field %s has a label", view[1], id).isTrue();
      }
    }
    open("#/blocks", "blocks");
    // The skip link is the first stop of the keyboard, and Enter on it moves focus to the view.
    JavascriptExecutor page = (JavascriptExecutor) browser;
    assertThat(
            page.executeScript(
                "return document.querySelector('a[href], button, input, select, textarea,"
                    + " [tabindex]:not([tabindex=\"-1\"])').id"))
        .isEqualTo("skip-link");
    page.executeScript("document.getElementById('skip-link').focus()");
    browser.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.ENTER);
    assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("view");
  }

  @Test
  @Order(6)
  void theAuditApiAnswersAuditorsOnlyAndExportsCsv() throws Exception {
    URI entries = demo.gateway.resolve("/v1/audit/entries?participant=bank-a&format=csv");
    HttpResponse<String> anonymous = get(entries, null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).contains("urn:tally:problem:unauthenticated");

    HttpResponse<String> bank = get(entries, token("bank-a"));
    assertThat(bank.statusCode()).isEqualTo(403);
    assertThat(bank.body()).contains("urn:tally:problem:auditor-only");

    HttpResponse<String> csv = get(entries, token("auditor-1"));
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    assertThat(csv.body()).startsWith("\"offset\",").contains("demo-dvp-1");

    HttpResponse<String> unknown =
        get(demo.gateway.resolve("/v1/audit/blocks?nonsense=1"), token("auditor-1"));
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("urn:tally:problem:malformed");
  }

  @Test
  @Order(7)
  void withTwoValidatorsStoppedTheValidatorsViewSaysFinalizationStalledAndWhoIsMissing()
      throws Exception {
    for (String validator : List.of("validator-3", "validator-4")) {
      signal("STOP", demo.pid(validator));
    }
    SigningKey bankA = Keys.read(keyFile("bank-a"));
    TallyClient client = TallyClient.create(demo.gateway, demo.identity, Duration.ofSeconds(10));
    client.submit(
        Instruction.settle(
                "dashboard-stalled-1",
                System.currentTimeMillis() + Duration.ofMinutes(10).toMillis(),
                List.of(Leg.of("a-eur", "b-eur", "EUR", 100)))
            .sign(List.of(bankA)));
    open("#/validators", "validators");
    new WebDriverWait(browser, Duration.ofSeconds(60))
        .ignoring(StaleElementReferenceException.class)
        .until(b -> "true".equals(b.findElement(By.id("stalled")).getAttribute("data-stalled")));
    assertThat(browser.findElement(By.id("stalled")).getText())
        .contains("Finalization stalled", "validator-3", "validator-4");
    assertThat(rows("#validators tr[data-missing='true']", "data-validator"))
        .containsExactlyInAnyOrder("validator-3", "validator-4");
    screenshot("validators-stalled");

    for (String validator : List.of("validator-3", "validator-4")) {
      signal("CONT", demo.pid(validator));
    }
    new WebDriverWait(browser, Duration.ofSeconds(90))
        .ignoring(StaleElementReferenceException.class)
        .until(b -> "false".equals(b.findElement(By.id("stalled")).getAttribute("data-stalled")));
    assertThat(browser.findElement(By.id("stalled")).getText()).startsWith("Finalizing");
    screenshot("validators");
  }

  // ------------------------------------------------------------------ helpers

  private Path keyFile(String participant) {
    return demo.dir.resolve("keys/" + participant + ".key").toAbsolutePath();
  }

  private void open(String route, String view) {
    String url = demo.gateway.resolve("/dashboard/" + route).toString();
    // The same hash again fires no hashchange: reload the page then (the key stays in IndexedDB).
    navigate(
        () -> {
          if (url.equals(browser.getCurrentUrl())) {
            browser.navigate().refresh();
          } else {
            browser.get(url);
          }
        },
        view);
  }

  /** Does {@code action} and waits until the page rendered {@code view} anew. */
  private void navigate(Runnable action, String view) {
    ((JavascriptExecutor) browser)
        .executeScript(
            "const v = document.getElementById('view'); if (v) { v.dataset.loaded = 'false'; }");
    action.run();
    awaitView(view);
  }

  private void awaitView(String view) {
    new WebDriverWait(browser, WAIT)
        .ignoring(StaleElementReferenceException.class)
        .until(
            b ->
                view.equals(b.findElement(By.tagName("body")).getAttribute("data-view"))
                    && "true".equals(b.findElement(By.id("view")).getAttribute("data-loaded")));
    assertThat(browser.findElement(By.id("error")).getText()).as("error shown").isBlank();
  }

  private void awaitVerdict() {
    new WebDriverWait(browser, WAIT)
        .until(b -> !b.findElements(By.cssSelector("#verify-verdict[data-verdict]")).isEmpty());
  }

  private List<String> rows(String selector) {
    return rows(selector, "data-id");
  }

  private List<String> rows(String selector, String attribute) {
    return browser.findElements(By.cssSelector(selector)).stream()
        .map(row -> row.getAttribute(attribute))
        .toList();
  }

  private void scrollTo(WebElement element) {
    ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", element);
  }

  private void screenshot(String name) throws IOException {
    byte[] png = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SCREENSHOTS.resolve(name + ".png"), png);
  }

  /** One base64url or hex character changed to another of its alphabet. */
  private static String flip(String text, int at) {
    char c = text.charAt(at);
    char other = c == 'a' ? 'b' : 'a';
    return text.substring(0, at) + other + text.substring(at + 1);
  }

  private String token(String participant) throws IOException {
    byte[] id = new byte[16];
    random.nextBytes(id);
    return AccessToken.issue(
        participant,
        AccessToken.gatewayAudience(demo.genesis.network()),
        System.currentTimeMillis() / 1000,
        Duration.ofMinutes(1),
        id,
        Keys.read(keyFile(participant)));
  }

  private HttpResponse<String> get(URI uri, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }
}
