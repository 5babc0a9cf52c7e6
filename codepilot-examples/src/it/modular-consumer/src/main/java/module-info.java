// tag::module[]
module com.example.hello {
  requires dev.codepilot;

  // Only because this program lists the model providers it finds; an application that just
  // runs agents needs no uses clause.
  uses dev.codepilot.model.ChatModelProvider;
}
// end::module[]
