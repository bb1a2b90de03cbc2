/** The tag's entry: drains the stub queue (`touchpoint.q`) and installs the real command function. */
export {};
