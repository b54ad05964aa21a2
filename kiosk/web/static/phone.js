// The wall photo's page: send the photo as soon as it is taken or chosen, and refuse one that
// is too large before it crosses the studio's Wi-Fi. Without this script the form still works,
// with its Send button.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("wall-form");
  if (!form) return;
  const inputs = [...form.querySelectorAll('input[type="file"]')];
  const error = document.getElementById("wall-error");
  const maxBytes = Number(form.dataset.maxBytes);
  document.getElementById("send").hidden = true;

  const reset = () => {
    form.classList.remove("is-sending");
    document.getElementById("sending").hidden = true;
    for (const input of inputs) input.disabled = false;
  };
  window.addEventListener("pageshow", reset); // back from the result page: ready again

  for (const input of inputs) {
    input.addEventListener("change", () => {
      const file = input.files[0];
      if (!file) return;
      if (file.size > maxBytes) {
        error.textContent = form.dataset.tooLarge;
        error.hidden = false;
        input.value = "";
        return;
      }
      error.hidden = true;
      // Only the chosen photo goes: the other input is left out of the form.
      for (const other of inputs) other.disabled = other !== input;
      form.classList.add("is-sending");
      document.getElementById("sending").hidden = false;
      form.submit();
    });
  }
});
