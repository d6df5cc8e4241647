package io.tally.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tally help [COMMAND...]}: the usage of any command or subcommand ({@code tally help
 * propose register-participant}); picocli's own help command looks one level down only.
 */
@Command(
    name = "help",
    helpCommand = true,
    description = "Show the help of a command, e.g. tally help settle, tally help propose add-key.")
final class HelpCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "the command and subcommands")
  List<String> path = new ArrayList<>();

  @Override
  public Integer call() {
    CommandLine command = spec.root().commandLine();
    for (String name : path) {
      CommandLine next = command.getSubcommands().get(name);
      if (next == null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "'"
                + String.join(" ", path)
                + "' is no command: "
                + command.getCommandName()
                + " has "
                + String.join(", ", command.getSubcommands().keySet()));
      }
      command = next;
    }
    command.usage(spec.commandLine().getOut());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
